using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace GenCluster.Training.Grains.Checkpoints;

/// <summary>What a shard object says about itself, ahead of its three float vectors.</summary>
/// <param name="Experiment">The experiment id.</param>
/// <param name="Model"><c>G</c> or <c>D</c>.</param>
/// <param name="Shard">The shard's index.</param>
/// <param name="Offset">First element of the slice in the model's flat vector.</param>
/// <param name="Length">Elements in the slice (and in each vector that follows).</param>
/// <param name="Step">Completed steps: the next gradients belong to this step.</param>
/// <param name="AdamSteps">Adam's step count t (bias correction) of every bucket of the slice.</param>
internal sealed record ShardCheckpointHeader(string Experiment, string Model, int Shard, long Offset, int Length, long Step, long AdamSteps);

/// <summary>A decoded shard object.</summary>
internal sealed record ShardCheckpointContent(ShardCheckpointHeader Header, float[] Parameters, float[] ExpAvg, float[] ExpAvgSq);

/// <summary>
/// The bytes of one shard object: <c>GCSHARD1</c>, a little-endian u32 length and that many bytes of UTF-8 JSON
/// (<see cref="ShardCheckpointHeader"/>), then the slice's parameters, Adam's m and Adam's v as little-endian
/// float32 vectors of <c>Length</c> elements each — nothing else, so a reader can check the size exactly.
/// </summary>
internal static class ShardCheckpointFormat
{
    private static ReadOnlySpan<byte> Magic => "GCSHARD1"u8;

    /// <summary>The object for one slice.</summary>
    public static byte[] Encode(ShardCheckpointHeader header, ReadOnlySpan<float> parameters, ReadOnlySpan<float> expAvg, ReadOnlySpan<float> expAvgSq)
    {
        if (parameters.Length != header.Length || expAvg.Length != header.Length || expAvgSq.Length != header.Length)
        {
            throw new ArgumentException($"a slice of {header.Length} elements got {parameters.Length}/{expAvg.Length}/{expAvgSq.Length}");
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(header, CheckpointJsonContext.Default.ShardCheckpointHeader);
        var vectorBytes = (long)header.Length * sizeof(float);
        var bytes = new byte[checked(Magic.Length + sizeof(uint) + json.Length + (3 * vectorBytes))];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(Magic.Length), (uint)json.Length);
        json.CopyTo(bytes.AsSpan(Magic.Length + sizeof(uint)));
        var at = Magic.Length + sizeof(uint) + json.Length;
        foreach (var vector in new[] { parameters.ToArray(), expAvg.ToArray(), expAvgSq.ToArray() })
        {
            WriteFloats(vector, bytes.AsSpan(at, (int)vectorBytes));
            at += (int)vectorBytes;
        }

        return bytes;
    }

    /// <summary>Reads an object written by <see cref="Encode"/>.</summary>
    /// <exception cref="InvalidDataException">It is not a shard object, or its size does not match its header.</exception>
    public static ShardCheckpointContent Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Magic.Length + sizeof(uint) || !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a shard checkpoint object (no GCSHARD1 magic)");
        }

        var jsonLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[Magic.Length..]);
        if (jsonLength > bytes.Length - Magic.Length - sizeof(uint))
        {
            throw new InvalidDataException($"the header claims {jsonLength} bytes; the object has {bytes.Length}");
        }

        var start = Magic.Length + sizeof(uint);
        var header = JsonSerializer.Deserialize(bytes.Slice(start, (int)jsonLength), CheckpointJsonContext.Default.ShardCheckpointHeader)
            ?? throw new InvalidDataException("the shard checkpoint header is null");
        var vectorBytes = (long)header.Length * sizeof(float);
        var at = start + (int)jsonLength;
        if (header.Length <= 0 || bytes.Length - at != 3 * vectorBytes)
        {
            throw new InvalidDataException($"a slice of {header.Length} elements needs {3 * vectorBytes} bytes after the header; the object has {bytes.Length - at}");
        }

        var vectors = new float[3][];
        for (var i = 0; i < 3; i++)
        {
            vectors[i] = ReadFloats(bytes.Slice(at, (int)vectorBytes));
            at += (int)vectorBytes;
        }

        return new ShardCheckpointContent(header, vectors[0], vectors[1], vectors[2]);
    }

    private static void WriteFloats(float[] values, Span<byte> target)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(target);
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(target[(i * sizeof(float))..], values[i]);
        }
    }

    private static float[] ReadFloats(ReadOnlySpan<byte> source)
    {
        var values = new float[source.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * sizeof(float))..]);
        }

        return values;
    }
}
