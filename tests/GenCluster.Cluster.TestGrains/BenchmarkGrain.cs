using System.Diagnostics;
using GenCluster.Runtime;

namespace GenCluster.Cluster.TestGrains;

/// <summary>
/// The far end of the runtime benchmarks: pinned to the silo its key names (<c>silo-b/target-0</c>)
/// so that a driver on another silo measures the silo-to-silo path. Reentrant: its methods hold no
/// state, so queuing them one turn at a time would measure the turn queue rather than the wire.
/// </summary>
public interface IBenchmarkTargetGrain : IGrainWithStringKey
{
    /// <summary>Returns the payload unchanged (the round-trip benchmark).</summary>
    Task<byte[]> Echo(byte[] payload);

    /// <summary>Returns <paramref name="value"/> + 1 (the throughput benchmark: smallest useful call).</summary>
    Task<int> Increment(int value);

    /// <summary>
    /// Receives a tensor, read in place in the received frame (a view, no copy into an array), and returns its element
    /// count once it has checked one element in every 4 KiB page against the sender's pattern <c>i * 0.5f</c> (the
    /// tensor-transfer benchmark): proof that every page of the tensor arrived intact.
    /// </summary>
    /// <exception cref="InvalidOperationException">An element differs from the pattern.</exception>
    Task<int> Receive(TensorView<float> tensor);
}

/// <summary>
/// The near end of the runtime benchmarks: pinned to the silo its key names (<c>silo-a/driver-0</c>),
/// it calls targets on another silo from inside the cluster and times those calls itself, so the
/// figures exclude the client-to-gateway hop used only to start and collect a run.
/// </summary>
public interface IBenchmarkDriverGrain : IGrainWithStringKey
{
    /// <summary>
    /// Calls <see cref="IBenchmarkTargetGrain.Echo"/> on <paramref name="targetKey"/> <paramref name="count"/>
    /// times one after another with a <paramref name="payloadBytes"/>-byte argument; returns each call's µs.
    /// </summary>
    Task<double[]> RoundTrips(string targetKey, int count, int payloadBytes);

    /// <summary>
    /// Keeps <paramref name="outstanding"/> calls to <see cref="IBenchmarkTargetGrain.Increment"/> in flight,
    /// spread over <paramref name="targetKeys"/>, for <paramref name="durationMilliseconds"/>; returns the
    /// number of calls completed and the exact elapsed time.
    /// </summary>
    Task<ThroughputSample> Throughput(string[] targetKeys, int outstanding, int durationMilliseconds);

    /// <summary>
    /// Sends a float32 tensor of <paramref name="elements"/> elements to <paramref name="targetKey"/>
    /// <paramref name="count"/> times one after another; returns each call's seconds.
    /// </summary>
    Task<double[]> SendTensors(string targetKey, int elements, int count);
}

/// <summary>Calls completed in a throughput run and how long the run took.</summary>
[GenerateSerializer]
public sealed record ThroughputSample([Id(0)] long Calls, [Id(1)] double Seconds);

[Reentrant]
[Placement(PlacementKind.Pinned)]
public sealed class BenchmarkTargetGrain : Grain, IBenchmarkTargetGrain
{
    public Task<byte[]> Echo(byte[] payload) => Task.FromResult(payload);

    public Task<int> Increment(int value) => Task.FromResult(value + 1);

    public Task<int> Receive(TensorView<float> tensor)
    {
        var elements = tensor.Span;
        const int PerPage = 4096 / sizeof(float);
        for (var i = 0; i < elements.Length; i += PerPage)
        {
            CheckPattern(elements, i);
        }

        if (elements.Length > 0)
        {
            CheckPattern(elements, elements.Length - 1);
        }

        return Task.FromResult(elements.Length);
    }

    private static void CheckPattern(ReadOnlySpan<float> elements, int index)
    {
        if (elements[index] != index * 0.5f)
        {
            throw new InvalidOperationException($"element {index} arrived as {elements[index]}, sent as {index * 0.5f}");
        }
    }
}

[Placement(PlacementKind.Pinned)]
public sealed class BenchmarkDriverGrain : Grain, IBenchmarkDriverGrain
{
    public async Task<double[]> RoundTrips(string targetKey, int count, int payloadBytes)
    {
        var target = GrainFactory.GetGrain<IBenchmarkTargetGrain>(targetKey);
        var payload = new byte[payloadBytes];
        Random.Shared.NextBytes(payload);
        var micros = new double[count];
        for (var i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var echoed = await target.Echo(payload);
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;

            // Why check: a benchmark that silently measures failed or truncated calls is worse than none.
            if (echoed.Length != payloadBytes)
            {
                throw new InvalidOperationException($"echo returned {echoed.Length} bytes, expected {payloadBytes}");
            }
        }

        return micros;
    }

    public async Task<ThroughputSample> Throughput(string[] targetKeys, int outstanding, int durationMilliseconds)
    {
        var targets = targetKeys.Select(GrainFactory.GetGrain<IBenchmarkTargetGrain>).ToArray();
        long calls = 0;
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromMilliseconds(durationMilliseconds);

        // Each lane is one caller issuing calls back to back; together they keep `outstanding` calls in flight.
        async Task Lane(int lane)
        {
            var target = targets[lane % targets.Length];
            long done = 0;
            while (clock.Elapsed < until)
            {
                var result = await target.Increment(lane);
                if (result != lane + 1)
                {
                    throw new InvalidOperationException($"Increment({lane}) returned {result}");
                }

                done++;
            }

            Interlocked.Add(ref calls, done);
        }

        await Task.WhenAll(Enumerable.Range(0, outstanding).Select(Lane));
        return new ThroughputSample(Interlocked.Read(ref calls), clock.Elapsed.TotalSeconds);
    }

    public async Task<double[]> SendTensors(string targetKey, int elements, int count)
    {
        var target = GrainFactory.GetGrain<IBenchmarkTargetGrain>(targetKey);
        var tensor = new float[elements];
        for (var i = 0; i < tensor.Length; i++)
        {
            tensor[i] = i * 0.5f;
        }

        var seconds = new double[count];
        for (var i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var received = await target.Receive(tensor);
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (received != elements)
            {
                throw new InvalidOperationException($"target received {received} elements, expected {elements}");
            }
        }

        return seconds;
    }
}
