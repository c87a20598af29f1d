using System.Buffers.Binary;

namespace GenCluster.Storage.Tests.FileSystem;

/// <summary>
/// Increments a counter object (8 bytes, little-endian) by compare-and-swap: read value and ETag, write value + 1
/// if the ETag is unchanged, retry when another writer got there first. A store whose swap is not atomic loses
/// increments: the counter ends below the number of swaps that reported success.
/// </summary>
internal static class CounterContender
{
    public static async Task CreateAsync(IObjectStore store, string name) =>
        await store.PutAsync(name, new MemoryStream(new byte[8]), WriteCondition.IfNoneExists, CancellationToken.None);

    public static async Task<long> ReadAsync(IObjectStore store, string name)
    {
        await using var reader = await store.OpenReadAsync(name, CancellationToken.None) ?? throw new InvalidOperationException($"{name} is missing");
        var bytes = new byte[8];
        await reader.Content.ReadExactlyAsync(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    /// <summary>Makes <paramref name="increments"/> successful increments; returns how many attempts lost a race.</summary>
    /// <exception cref="TimeoutException">Not done within <paramref name="limit"/>.</exception>
    public static async Task<int> IncrementAsync(IObjectStore store, string name, int increments, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        var lost = 0;
        for (var won = 0; won < increments;)
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"{won} of {increments} increments within {limit.TotalSeconds:0} s");
            }

            await using var reader = await store.OpenReadAsync(name, CancellationToken.None) ?? throw new InvalidOperationException($"{name} is missing");
            var bytes = new byte[8];
            await reader.Content.ReadExactlyAsync(bytes);
            BinaryPrimitives.WriteInt64LittleEndian(bytes, BinaryPrimitives.ReadInt64LittleEndian(bytes) + 1);
            try
            {
                await store.PutAsync(name, new MemoryStream(bytes), WriteCondition.IfMatches(reader.Properties.ETag), CancellationToken.None);
                won++;
            }
            catch (ObjectConditionFailedException)
            {
                lost++;
            }
        }

        return lost;
    }
}
