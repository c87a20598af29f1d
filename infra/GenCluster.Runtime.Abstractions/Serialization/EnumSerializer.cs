using System.Runtime.CompilerServices;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// An enum as its underlying integer, so values unknown to the reader (added by a newer peer) still round-trip.
/// The underlying type is looked up once per enum; the switch on it is folded away by the JIT.
/// </summary>
internal sealed class EnumSerializer<TEnum> : IMessagePackSerializer<TEnum>
    where TEnum : struct, Enum
{
    // For an enum, GetTypeCode answers with its underlying type's code.
    private static readonly TypeCode s_underlying = Type.GetTypeCode(typeof(TEnum));

    public void Serialize(ref MessagePackWriter writer, TEnum value)
    {
        switch (s_underlying)
        {
            case TypeCode.SByte: writer.Write(Unsafe.As<TEnum, sbyte>(ref value)); break;
            case TypeCode.Byte: writer.Write(Unsafe.As<TEnum, byte>(ref value)); break;
            case TypeCode.Int16: writer.Write(Unsafe.As<TEnum, short>(ref value)); break;
            case TypeCode.UInt16: writer.Write(Unsafe.As<TEnum, ushort>(ref value)); break;
            case TypeCode.Int32: writer.Write(Unsafe.As<TEnum, int>(ref value)); break;
            case TypeCode.UInt32: writer.Write(Unsafe.As<TEnum, uint>(ref value)); break;
            case TypeCode.Int64: writer.Write(Unsafe.As<TEnum, long>(ref value)); break;
            case TypeCode.UInt64: writer.Write(Unsafe.As<TEnum, ulong>(ref value)); break;
            default: throw new NotSupportedException($"enum {typeof(TEnum).FullName} has underlying type code {s_underlying}");
        }
    }

    public TEnum Deserialize(ref MessagePackReader reader)
    {
        switch (s_underlying)
        {
            case TypeCode.SByte: { var v = reader.ReadSByte(); return Unsafe.As<sbyte, TEnum>(ref v); }
            case TypeCode.Byte: { var v = reader.ReadByte(); return Unsafe.As<byte, TEnum>(ref v); }
            case TypeCode.Int16: { var v = reader.ReadInt16(); return Unsafe.As<short, TEnum>(ref v); }
            case TypeCode.UInt16: { var v = reader.ReadUInt16(); return Unsafe.As<ushort, TEnum>(ref v); }
            case TypeCode.Int32: { var v = reader.ReadInt32(); return Unsafe.As<int, TEnum>(ref v); }
            case TypeCode.UInt32: { var v = reader.ReadUInt32(); return Unsafe.As<uint, TEnum>(ref v); }
            case TypeCode.Int64: { var v = reader.ReadInt64(); return Unsafe.As<long, TEnum>(ref v); }
            case TypeCode.UInt64: { var v = reader.ReadUInt64(); return Unsafe.As<ulong, TEnum>(ref v); }
            default: throw new NotSupportedException($"enum {typeof(TEnum).FullName} has underlying type code {s_underlying}");
        }
    }
}
