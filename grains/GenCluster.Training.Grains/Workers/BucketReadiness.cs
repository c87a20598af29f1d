using System.Threading.Channels;
using GenCluster.Torch;
using GenCluster.Training.Grains.Sharding;

namespace GenCluster.Training.Grains.Workers;

/// <summary>
/// One backward pass's view of which gradient buckets of a model are final: a bucket is ready once every parameter
/// that overlaps it has reported its gradient (autograd's accumulator hooks, in backward order: last layers first), so
/// it can leave for its shard while backward still computes the first layers. When the pass ends every bucket not yet
/// reported is released too, so a parameter the pass never reached cannot hold a bucket back.
/// </summary>
/// <remarks>
/// <see cref="ParameterReady"/> and <see cref="Complete"/> run on the compute thread; <see cref="Ready"/> is read by
/// the grain. Each bucket comes out of <see cref="Ready"/> exactly once.
/// </remarks>
internal sealed class BucketReadiness
{
    private readonly IReadOnlyList<BucketSlice> _buckets;
    private readonly int[][] _bucketsOfParameter;
    private readonly int[] _pending;
    private readonly bool[] _reported;
    private readonly bool[] _released;
    private readonly Channel<BucketSlice> _ready = Channel.CreateUnbounded<BucketSlice>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Tracks <paramref name="buckets"/> of a flat vector laid out as <paramref name="parameters"/>.</summary>
    public BucketReadiness(IReadOnlyList<ParameterSlot> parameters, IReadOnlyList<BucketSlice> buckets)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _buckets = buckets ?? throw new ArgumentNullException(nameof(buckets));
        _pending = new int[buckets.Count];
        _released = new bool[buckets.Count];
        _reported = new bool[parameters.Count];
        _bucketsOfParameter = new int[parameters.Count][];
        for (var p = 0; p < parameters.Count; p++)
        {
            long start = parameters[p].Offset, end = start + parameters[p].Length;
            var overlapping = new List<int>();
            for (var b = 0; b < buckets.Count; b++)
            {
                if (buckets[b].Offset < end && start < buckets[b].Offset + buckets[b].Length)
                {
                    overlapping.Add(b);
                    _pending[b]++;
                }
            }

            _bucketsOfParameter[p] = [.. overlapping];
        }
    }

    /// <summary>Buckets as they become final; completes when the pass has ended, with its error if it failed.</summary>
    public ChannelReader<BucketSlice> Ready => _ready.Reader;

    /// <summary>Parameter <paramref name="index"/> (of the layout) holds its final gradient; a repeated report is ignored.</summary>
    public void ParameterReady(int index)
    {
        if ((uint)index >= (uint)_reported.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the model has {_reported.Length} parameters");
        }

        if (_reported[index])
        {
            return;
        }

        _reported[index] = true;
        foreach (var b in _bucketsOfParameter[index])
        {
            if (--_pending[b] == 0)
            {
                Release(b);
            }
        }
    }

    /// <summary>
    /// The pass is over: without <paramref name="failure"/>, every bucket not yet released is, last bucket first (the
    /// order backward would have finished them); with it, the reader ends with that error and nothing more is released.
    /// </summary>
    public void Complete(Exception? failure = null)
    {
        if (failure is null)
        {
            for (var b = _buckets.Count - 1; b >= 0; b--)
            {
                Release(b);
            }
        }

        _ready.Writer.TryComplete(failure);
    }

    private void Release(int bucket)
    {
        if (!_released[bucket])
        {
            _released[bucket] = true;
            _ready.Writer.TryWrite(_buckets[bucket]);
        }
    }
}
