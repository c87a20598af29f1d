using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;

namespace GenCluster.Runtime.Tests.Cluster;

/// <summary>
/// Large tensor arguments and results between silos (received into pooled frame arrays, given back after
/// deserialization) and within a silo (handed over): what callers and callees keep stays intact while later frames
/// reuse the arrays.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TensorCallTests(ClusterFixture fixture)
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Kept_arguments_and_results_are_not_overwritten_when_frame_arrays_are_reused()
    {
        const int Elements = 300_000; // 1.2 MB: assembled into a frame array of its own on arrival
        const int Calls = 48, Window = 3; // a few in flight, so frames arrive while earlier ones are being released
        string key = $"silo-2/tensor-{Guid.NewGuid():N}";
        var remote = Cluster["silo-1"].GrainFactory.GetGrain<ITensorGrain>(key);
        var local = Cluster["silo-2"].GrainFactory.GetGrain<ITensorGrain>(key);
        (await remote.GetSiloName()).Should().Be("silo-2");
        var calls = new List<(int Seed, float[] Sent, Task<float[]> Result)>();
        var inFlight = new Queue<Task<float[]>>();
        for (int seed = 0; seed < Calls; seed++)
        {
            if (inFlight.Count == Window)
            {
                await inFlight.Dequeue();
            }

            var values = Pattern(seed, Elements);
            var result = (seed % 4 == 0 ? local : remote).Offset(values, seed);
            calls.Add((seed, values, result));
            inFlight.Enqueue(result);
        }

        await Task.WhenAll(inFlight);

        // Checked only after every call: a result or argument that aliased a reused frame array would have changed.
        foreach (var (seed, sent, result) in calls)
        {
            var expected = Pattern(seed, Elements);
            sent.Should().Equal(expected, "the caller's array is left alone");
            var received = await result;
            received.Should().HaveCount(Elements);
            for (int i = 0; i < Elements; i++)
            {
                if (received[i] != expected[i] + seed)
                {
                    Assert.Fail($"call {seed}: element {i} is {received[i]}, expected {expected[i] + seed}");
                }
            }
        }

        (await remote.CountChangedKept()).Should().Be(0, "arguments the callee kept are its own arrays");
    }

    private static float[] Pattern(int seed, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = ((i * 31) + (seed * 7)) % 1000;
        }

        return values;
    }
}
