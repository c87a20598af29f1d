using System.Buffers;
using GenCluster.MessagePack;

namespace GenCluster.Transport.Tests;

/// <summary>
/// Self-checking frame payloads: <c>[sender, sequence, bin]</c> where every byte of the binary follows from sender
/// and sequence, so a receiver can tell a torn, interleaved or corrupted frame from an intact one.
/// </summary>
internal static class TestPayload
{
    public static byte[] Create(int sender, long sequence, int dataLength)
    {
        var output = new ArrayBufferWriter<byte>(dataLength + 32);
        Write(output, sender, sequence, dataLength);
        return output.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, int sender, long sequence, int dataLength)
    {
        var writer = new MessagePackWriter(output);
        Write(ref writer, sender, sequence, dataLength);
    }

    public static void Write(ref MessagePackWriter writer, int sender, long sequence, int dataLength)
    {
        writer.WriteArrayHeader(3);
        writer.Write(sender);
        writer.Write(sequence);
        writer.WriteBinaryHeader(dataLength);
        var span = writer.GetSpan(dataLength)[..dataLength];
        Fill(span, sender, sequence);
        writer.Advance(dataLength);
    }

    /// <summary>Decodes a payload and checks its data; throws if anything is off.</summary>
    public static (int Sender, long Sequence, int DataLength) Verify(ReadOnlySequence<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        if (reader.ReadArrayHeader() != 3)
        {
            throw new InvalidDataException("not a test payload");
        }

        int sender = reader.ReadInt32();
        long sequence = reader.ReadInt64();
        var data = reader.ReadBytes();
        if (!reader.End)
        {
            throw new InvalidDataException("bytes after the test payload");
        }

        var expected = new byte[data.Length];
        Fill(expected, sender, sequence);
        if (!data.ToArray().AsSpan().SequenceEqual(expected))
        {
            throw new InvalidDataException($"corrupted data in frame {sender}/{sequence}");
        }

        return (sender, sequence, (int)data.Length);
    }

    public static (int Sender, long Sequence, int DataLength) Verify(byte[] payload) => Verify(new ReadOnlySequence<byte>(payload));

    public static void Fill(Span<byte> span, int sender, long sequence)
    {
        byte seed = (byte)((sender * 31) + sequence);
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (byte)(seed + i);
        }
    }
}
