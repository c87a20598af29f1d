using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>One completed data-parallel step, aggregated over the ranks.</summary>
/// <param name="Step">The step, from 0.</param>
/// <param name="TotalSteps">Steps in the plan.</param>
/// <param name="DiscriminatorLoss">errD, averaged over ranks (the global-batch loss, as the ranks' batches are equal).</param>
/// <param name="GeneratorLoss">errG, averaged over ranks.</param>
/// <param name="RealScore">Mean D(x).</param>
/// <param name="FakeScoreBefore">Mean D(G(z)) before D's update.</param>
/// <param name="FakeScoreAfter">Mean D(G(z)) after D's update.</param>
/// <param name="StepSeconds">Wall time of the step at the coordinator (barrier to barrier).</param>
/// <param name="ComputeSeconds">The slowest rank's forward/backward time.</param>
/// <param name="CommunicationSeconds">The slowest rank's time waiting for reduce-scatter and all-gather.</param>
/// <param name="BytesPerWorker">Gradient and parameter payload bytes one worker sent plus received in the step.</param>
[GenerateSerializer]
public sealed record StepProgress(
    [Id(0)] long Step,
    [Id(1)] long TotalSteps,
    [Id(2)] float DiscriminatorLoss,
    [Id(3)] float GeneratorLoss,
    [Id(4)] float RealScore,
    [Id(5)] float FakeScoreBefore,
    [Id(6)] float FakeScoreAfter,
    [Id(7)] double StepSeconds,
    [Id(8)] double ComputeSeconds,
    [Id(9)] double CommunicationSeconds,
    [Id(10)] long BytesPerWorker);
