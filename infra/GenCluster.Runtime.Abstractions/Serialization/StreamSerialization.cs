using System.Runtime.CompilerServices;

namespace GenCluster.Runtime.Serialization;

/// <summary>Items of a streaming grain method (<see cref="IAsyncEnumerable{T}"/>) travel one serialized value each.</summary>
public static class StreamSerialization
{
    /// <summary>Serializes each item as the source yields it.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> SerializeItems<T>(
        IAsyncEnumerable<T> items,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return MessagePackSerializer.SerializeToMemory(item);
        }
    }

    /// <summary>Deserializes each item as it arrives.</summary>
    public static async IAsyncEnumerable<T> DeserializeItems<T>(
        IAsyncEnumerable<ReadOnlyMemory<byte>> items,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return MessagePackSerializer.Deserialize<T>(item);
        }
    }
}
