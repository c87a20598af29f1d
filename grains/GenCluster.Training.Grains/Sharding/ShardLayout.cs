using System.Globalization;

namespace GenCluster.Training.Grains.Sharding;

/// <summary>One gradient bucket: a contiguous run of a model's flat vector inside one shard.</summary>
/// <param name="Shard">The shard that owns it.</param>
/// <param name="Bucket">Its index within the shard.</param>
/// <param name="Offset">Its first element in the flat vector.</param>
/// <param name="Length">Its elements.</param>
internal readonly record struct BucketSlice(int Shard, int Bucket, long Offset, int Length);

/// <summary>One shard's slice of a model's flat vector.</summary>
/// <param name="Shard">Its index.</param>
/// <param name="Offset">Its first element in the flat vector.</param>
/// <param name="Length">Its elements.</param>
/// <param name="Buckets">The slice cut into buckets, in order.</param>
internal sealed record ShardSlice(int Shard, long Offset, int Length, IReadOnlyList<BucketSlice> Buckets);

/// <summary>
/// How a flat parameter vector of P elements is split over S shards — contiguous slices whose lengths differ by at
/// most one — and each slice into buckets of at most B elements, so no bucket straddles a shard boundary.
/// Workers and shards derive the same layout from (P, S, B).
/// </summary>
internal sealed class ShardLayout
{
    private ShardLayout(long parameters, IReadOnlyList<ShardSlice> shards)
    {
        Parameters = parameters;
        Shards = shards;
        Buckets = shards.SelectMany(s => s.Buckets).ToList();
    }

    /// <summary>P.</summary>
    public long Parameters { get; }

    /// <summary>The shards in order.</summary>
    public IReadOnlyList<ShardSlice> Shards { get; }

    /// <summary>Every bucket, in flat-vector order.</summary>
    public IReadOnlyList<BucketSlice> Buckets { get; }

    /// <summary>Splits <paramref name="parameters"/> elements over <paramref name="shards"/> shards with buckets of at most <paramref name="bucketElements"/>.</summary>
    /// <exception cref="ArgumentException">More shards than parameters, or a shard longer than an array can be.</exception>
    public static ShardLayout Create(long parameters, int shards, int bucketElements)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shards);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketElements);
        if (shards > parameters)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"the model has {parameters} parameters, fewer than the {shards} shards asked for"));
        }

        var baseLength = parameters / shards;
        var remainder = parameters % shards;
        if (baseLength + 1 > Array.MaxLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{parameters} parameters over {shards} shards gives slices longer than an array can hold; use more shards"));
        }

        var slices = new List<ShardSlice>(shards);
        long offset = 0;
        for (var s = 0; s < shards; s++)
        {
            var length = (int)(baseLength + (s < remainder ? 1 : 0));
            var buckets = new List<BucketSlice>();
            for (int start = 0, b = 0; start < length; start += bucketElements, b++)
            {
                buckets.Add(new BucketSlice(s, b, offset + start, Math.Min(bucketElements, length - start)));
            }

            slices.Add(new ShardSlice(s, offset, length, buckets));
            offset += length;
        }

        return new ShardLayout(parameters, slices);
    }
}
