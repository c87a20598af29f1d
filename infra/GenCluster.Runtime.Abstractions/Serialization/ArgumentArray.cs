using System.ComponentModel;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// The arguments of a grain call travel as one MessagePack array, in parameter order (cancellation tokens excluded).
/// Generated proxies write it and generated invokers read it with these checks.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ArgumentArray
{
    private static readonly byte[] s_empty = [MessagePackCode.MinFixArray];

    /// <summary>The arguments of a call without parameters: an empty array.</summary>
    public static ReadOnlyMemory<byte> Empty => s_empty;

    /// <summary>Reads the array header and checks it holds exactly the method's parameter count.</summary>
    /// <exception cref="MessagePackDecodeException">Not an array, or another number of arguments.</exception>
    public static void ReadHeader(ref MessagePackReader reader, int expectedCount, string methodName)
    {
        long position = reader.Consumed;
        int count = reader.ReadArrayHeader();
        if (count != expectedCount)
        {
            throw new MessagePackDecodeException(
                MessagePackDecodeError.UnexpectedType,
                $"{methodName} takes {expectedCount} argument(s), the call carries {count}",
                position);
        }
    }

    /// <summary>Checks nothing follows the arguments.</summary>
    /// <exception cref="MessagePackDecodeException">Bytes follow the argument array.</exception>
    public static void ReadEnd(ref MessagePackReader reader, string methodName)
    {
        if (!reader.End)
        {
            throw new MessagePackDecodeException(
                MessagePackDecodeError.InvalidFrame,
                $"{reader.Remaining} bytes follow the arguments of {methodName}",
                reader.Consumed);
        }
    }
}
