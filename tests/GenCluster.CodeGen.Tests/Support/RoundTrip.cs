using System.Buffers;
using GenCluster.MessagePack;
using GenCluster.Runtime.Serialization;

namespace GenCluster.CodeGen.Tests.Support;

/// <summary>Serializes and deserializes through the registry; converts between bytes and MessagePack value trees.</summary>
internal static class RoundTrip
{
    public static T Of<T>(T value) => MessagePackSerializer.Deserialize<T>(MessagePackSerializer.Serialize(value));

    /// <summary>The bytes as a MessagePack tree, to check the wire shape.</summary>
    public static MessagePackValue Tree(byte[] bytes) => new MessagePackReader(bytes).ReadValue();

    /// <summary>Bytes of a hand-built value, e.g. what another version of a contract would send.</summary>
    public static byte[] Encode(MessagePackValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        value.WriteTo(ref writer);
        return buffer.WrittenSpan.ToArray();
    }

    public static MessagePackValue Int(long value) => MessagePackValue.FromInteger(value);

    public static MessagePackValue Str(string value) => MessagePackValue.FromString(value);

    public static MessagePackValue Map(params (MessagePackValue Key, MessagePackValue Value)[] entries) =>
        MessagePackValue.FromMap(entries.Select(e => KeyValuePair.Create(e.Key, e.Value)).ToList());

    /// <summary>A 2×2 <c>&lt;f4</c> tensor, which no one-dimensional array type accepts.</summary>
    public static byte[] Write2x2Tensor()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteTensor([1f, 2f, 3f, 4f], [2L, 2L]);
        return buffer.WrittenSpan.ToArray();
    }
}
