using System.Buffers;
using System.Globalization;

namespace GenCluster.MessagePack.Tests.Support;

/// <summary>Helpers to encode with the writer and to express expected bytes as hex.</summary>
internal static class Bytes
{
    public delegate void WriteAction(ref MessagePackWriter writer);

    public static byte[] Encode(WriteAction action)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        action(ref writer);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Encode(MessagePackValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        value.WriteTo(ref writer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses "cc 80" or "cc80" style hex.</summary>
    public static byte[] Hex(string hex) =>
        Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        int offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }

        return result;
    }

    public static byte[] Repeat(byte value, int count)
    {
        var result = new byte[count];
        Array.Fill(result, value);
        return result;
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
