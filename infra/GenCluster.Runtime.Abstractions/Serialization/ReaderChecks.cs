using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>Shape checks built-in serializers share, each failing with a typed <see cref="MessagePackDecodeException"/>.</summary>
internal static class ReaderChecks
{
    /// <summary>Reads an array header of exactly <paramref name="expected"/> elements (tuples, pairs).</summary>
    public static void ReadArrayHeader(ref MessagePackReader reader, int expected, string what)
    {
        long position = reader.Consumed;
        int count = reader.ReadArrayHeader();
        if (count != expected)
        {
            throw new MessagePackDecodeException(MessagePackDecodeError.UnexpectedType, $"{what} is an array of {expected}, found {count} elements", position);
        }
    }

    public static MessagePackDecodeException Invalid(long position, string reason) =>
        new(MessagePackDecodeError.UnexpectedType, reason, position);
}
