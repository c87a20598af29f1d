using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>What one rank measured in one step.</summary>
/// <param name="Step">The step.</param>
/// <param name="Rank">The rank.</param>
/// <param name="DiscriminatorLoss">errD on this rank's batch.</param>
/// <param name="GeneratorLoss">errG on this rank's batch.</param>
/// <param name="RealScore">Mean D(x).</param>
/// <param name="FakeScoreBefore">Mean D(G(z)) before D's update.</param>
/// <param name="FakeScoreAfter">Mean D(G(z)) after D's update.</param>
/// <param name="ComputeSeconds">Time on the device: sampling, forward, backward, bucket copies.</param>
/// <param name="CommunicationSeconds">Time waiting for the shards' replies: for room in the window of buckets in flight, and after the last bucket was sent.</param>
/// <param name="BytesSent">Gradient payload bytes sent to shards.</param>
/// <param name="BytesReceived">Parameter payload bytes received from shards.</param>
[GenerateSerializer]
public sealed record WorkerStepReport(
    [Id(0)] long Step,
    [Id(1)] int Rank,
    [Id(2)] float DiscriminatorLoss,
    [Id(3)] float GeneratorLoss,
    [Id(4)] float RealScore,
    [Id(5)] float FakeScoreBefore,
    [Id(6)] float FakeScoreAfter,
    [Id(7)] double ComputeSeconds,
    [Id(8)] double CommunicationSeconds,
    [Id(9)] long BytesSent,
    [Id(10)] long BytesReceived);
