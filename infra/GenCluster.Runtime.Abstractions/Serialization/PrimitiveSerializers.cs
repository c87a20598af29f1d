using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

// Integers travel in the smallest MessagePack encoding; reading accepts any integer encoding that fits the width
// (and fails with IntegerOverflow otherwise), so peers need not agree on encodings, only on values.

internal sealed class BooleanSerializer : IMessagePackSerializer<bool>
{
    public void Serialize(ref MessagePackWriter writer, bool value) => writer.Write(value);

    public bool Deserialize(ref MessagePackReader reader) => reader.ReadBoolean();
}

internal sealed class SByteSerializer : IMessagePackSerializer<sbyte>
{
    public void Serialize(ref MessagePackWriter writer, sbyte value) => writer.Write(value);

    public sbyte Deserialize(ref MessagePackReader reader) => reader.ReadSByte();
}

internal sealed class ByteSerializer : IMessagePackSerializer<byte>
{
    public void Serialize(ref MessagePackWriter writer, byte value) => writer.Write(value);

    public byte Deserialize(ref MessagePackReader reader) => reader.ReadByte();
}

internal sealed class Int16Serializer : IMessagePackSerializer<short>
{
    public void Serialize(ref MessagePackWriter writer, short value) => writer.Write(value);

    public short Deserialize(ref MessagePackReader reader) => reader.ReadInt16();
}

internal sealed class UInt16Serializer : IMessagePackSerializer<ushort>
{
    public void Serialize(ref MessagePackWriter writer, ushort value) => writer.Write(value);

    public ushort Deserialize(ref MessagePackReader reader) => reader.ReadUInt16();
}

internal sealed class Int32Serializer : IMessagePackSerializer<int>
{
    public void Serialize(ref MessagePackWriter writer, int value) => writer.Write(value);

    public int Deserialize(ref MessagePackReader reader) => reader.ReadInt32();
}

internal sealed class UInt32Serializer : IMessagePackSerializer<uint>
{
    public void Serialize(ref MessagePackWriter writer, uint value) => writer.Write(value);

    public uint Deserialize(ref MessagePackReader reader) => reader.ReadUInt32();
}

internal sealed class Int64Serializer : IMessagePackSerializer<long>
{
    public void Serialize(ref MessagePackWriter writer, long value) => writer.Write(value);

    public long Deserialize(ref MessagePackReader reader) => reader.ReadInt64();
}

internal sealed class UInt64Serializer : IMessagePackSerializer<ulong>
{
    public void Serialize(ref MessagePackWriter writer, ulong value) => writer.Write(value);

    public ulong Deserialize(ref MessagePackReader reader) => reader.ReadUInt64();
}

/// <summary>float 32 on the wire; reading also accepts float 64 (narrowed) and integers.</summary>
internal sealed class SingleSerializer : IMessagePackSerializer<float>
{
    public void Serialize(ref MessagePackWriter writer, float value) => writer.Write(value);

    public float Deserialize(ref MessagePackReader reader) => reader.ReadSingle();
}

/// <summary>float 64 on the wire; reading also accepts float 32 (widened exactly) and integers.</summary>
internal sealed class DoubleSerializer : IMessagePackSerializer<double>
{
    public void Serialize(ref MessagePackWriter writer, double value) => writer.Write(value);

    public double Deserialize(ref MessagePackReader reader) => reader.ReadDouble();
}

/// <summary>A UTF-16 code unit as an unsigned integer (lone surrogates survive, unlike in a UTF-8 string).</summary>
internal sealed class CharSerializer : IMessagePackSerializer<char>
{
    public void Serialize(ref MessagePackWriter writer, char value) => writer.Write((ushort)value);

    public char Deserialize(ref MessagePackReader reader) => (char)reader.ReadUInt16();
}
