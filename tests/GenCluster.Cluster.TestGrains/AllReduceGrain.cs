using System.Diagnostics;
using GenCluster.Contracts.Training;
using GenCluster.Runtime;

namespace GenCluster.Cluster.TestGrains;

/// <summary>
/// One rank of the all-reduce benchmark, pinned to the silo its key names (<c>silo-a/allreduce/run/0</c>). It
/// all-reduces (sums) a float32 vector with the other ranks through the path a training step uses: the vector is cut
/// into buckets over S parameter-shard grains in <see cref="ShardUpdate.Sum"/> mode, each bucket is pushed as a view
/// of the rank's vector (no copy out), and each shard's answer (the sum over the W ranks) is decoded straight into the
/// rank's output as it arrives.
/// </summary>
public interface IAllReduceWorkerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Fills this rank's vector with exactly summable values and initializes the shards this rank owns
    /// (shard s belongs to rank s mod W, so each shard is placed on its owner's silo). Call on every rank before
    /// <see cref="Run"/>.
    /// </summary>
    Task Prepare(AllReducePlan plan);

    /// <summary>
    /// <paramref name="iterations"/> all-reduces one after another; returns each one's seconds (first push to last
    /// answer written). Throws if the last result is not the exact element-wise sum over the ranks.
    /// </summary>
    Task<double[]> Run(int iterations);

    /// <summary>Drops the vectors and deactivates.</summary>
    Task Release();
}

/// <summary>One rank's part in an all-reduce run.</summary>
/// <param name="RunId">Names the run's shards (the experiment id of their keys); unique per run.</param>
/// <param name="Rank">This rank.</param>
/// <param name="WorldSize">W.</param>
/// <param name="Elements">Float32 elements of the vector.</param>
/// <param name="Shards">S: contiguous slices whose lengths differ by at most one.</param>
/// <param name="BucketElements">Largest bucket; no bucket straddles a shard.</param>
/// <param name="InFlight">Most buckets pushed and not yet answered at a time (a training worker's default,
/// <c>TrainingGrainOptions.BucketsInFlight</c>, is 2); 0: all at once.</param>
[GenerateSerializer]
public sealed record AllReducePlan(
    [Id(0)] string RunId,
    [Id(1)] int Rank,
    [Id(2)] int WorldSize,
    [Id(3)] int Elements,
    [Id(4)] int Shards,
    [Id(5)] int BucketElements,
    [Id(6)] int InFlight = 2);

[Placement(PlacementKind.Pinned)]
public sealed class AllReduceWorkerGrain : Grain, IAllReduceWorkerGrain
{
    private AllReducePlan? _plan;
    private float[] _input = [];
    private float[] _output = [];
    private List<(int Shard, int Bucket, int Offset, int Length)> _buckets = [];
    private long _step;

    public async Task Prepare(AllReducePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.WorldSize < 1 || (uint)plan.Rank >= (uint)plan.WorldSize || plan.Shards < 1 || plan.Elements < plan.Shards || plan.BucketElements < 1)
        {
            throw new ArgumentException($"bad all-reduce plan {plan}");
        }

        _plan = plan;
        _input = GC.AllocateUninitializedArray<float>(plan.Elements);
        for (var i = 0; i < _input.Length; i++)
        {
            _input[i] = Contribution(plan.Rank, i);
        }

        _output = GC.AllocateUninitializedArray<float>(plan.Elements);
        _buckets = [];
        var owned = new List<Task>();
        int baseLength = plan.Elements / plan.Shards, remainder = plan.Elements % plan.Shards;
        for (int s = 0, offset = 0; s < plan.Shards; s++)
        {
            var length = baseLength + (s < remainder ? 1 : 0);
            var lengths = new List<int>();
            for (var start = 0; start < length; start += plan.BucketElements)
            {
                lengths.Add(Math.Min(plan.BucketElements, length - start));
                _buckets.Add((s, lengths.Count - 1, offset + start, lengths[^1]));
            }

            if (s % plan.WorldSize == plan.Rank)
            {
                var assignment = new ShardAssignment(plan.RunId, ModelRole.Generator, s, offset, length, [.. lengths],
                    plan.WorldSize, new AdamSettings(), FirstStep: 0, ShardUpdate.Sum);
                owned.Add(Shard(s).Initialize(assignment, new float[length]));
            }

            offset += length;
        }

        // Every rank pushes in the same order (a shard answers a bucket only once all ranks pushed it, so with a window of
        // InFlight buckets, orders that differ between ranks could wait on each other forever), and that order takes
        // bucket 0 of every shard, then bucket 1 of every shard, and so on: the shards' silos sum at the same time
        // instead of one after the other.
        _buckets = [.. _buckets.OrderBy(b => b.Bucket).ThenBy(b => b.Shard)];
        await Task.WhenAll(owned);
    }

    public async Task<double[]> Run(int iterations)
    {
        var plan = _plan ?? throw new InvalidOperationException($"all-reduce rank {GetPrimaryKeyString()} is not prepared");
        var seconds = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            if (i == iterations - 1)
            {
                // Why: the check below must not pass on an earlier iteration's result.
                _output.AsSpan().Fill(float.NaN);
            }

            var step = _step++;
            long start = Stopwatch.GetTimestamp();
            if (plan.InFlight <= 0)
            {
                await Task.WhenAll(_buckets.Select(b => PushAndWriteBack(plan, step, b)));
            }
            else
            {
                using var window = new SemaphoreSlim(plan.InFlight);
                await Task.WhenAll(_buckets.Select(async b =>
                {
                    await window.WaitAsync();
                    try
                    {
                        await PushAndWriteBack(plan, step, b);
                    }
                    finally
                    {
                        window.Release();
                    }
                }));
            }

            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        for (var i = 0; i < _output.Length; i++)
        {
            float expected = 0;
            for (var r = 0; r < plan.WorldSize; r++)
            {
                expected += Contribution(r, i);
            }

            if (_output[i] != expected)
            {
                throw new InvalidOperationException($"rank {plan.Rank}: element {i} is {_output[i]} after the all-reduce, expected {expected}");
            }
        }

        return seconds;
    }

    public Task Release()
    {
        (_plan, _input, _output, _buckets) = (null, [], [], []);
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    // Small integers: any sum over up to 2^20 ranks is exact in float32, whatever the order.
    private static float Contribution(int rank, int index) => (index + rank) % 7 + rank;

    private async Task PushAndWriteBack(AllReducePlan plan, long step, (int Shard, int Bucket, int Offset, int Length) bucket)
    {
        // Sent from the rank's vector itself (a view; the vector is unchanged until the push completes), and the answer
        // is decoded from the reply straight into the output (a destination of the bucket's length, checked on arrival).
        var payload = TensorView.Of(_input, bucket.Offset, bucket.Length);
        var answer = _output.AsMemory(bucket.Offset, bucket.Length);
        await Shard(bucket.Shard).PushGradients(new GradientBucket(plan.RunId, ModelRole.Generator, step, bucket.Bucket, bucket.Shard, plan.Rank, payload), answer);
    }

    private IParameterShardGrain Shard(int index) => GrainFactory.GetGrain<IParameterShardGrain>(TrainingKeys.Shard(_plan!.RunId, ModelRole.Generator, index));
}
