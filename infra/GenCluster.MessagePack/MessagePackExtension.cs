using System.Buffers;

namespace GenCluster.MessagePack;

/// <summary>An extension value read without copying: its type and a slice of the input holding its data.</summary>
public readonly struct MessagePackExtension
{
    /// <summary>Creates an extension value.</summary>
    /// <param name="typeCode">The extension type.</param>
    /// <param name="data">The extension data.</param>
    public MessagePackExtension(sbyte typeCode, ReadOnlySequence<byte> data)
    {
        TypeCode = typeCode;
        Data = data;
    }

    /// <summary>The extension type (-128..127; negative types are reserved by the specification).</summary>
    public sbyte TypeCode { get; }

    /// <summary>The extension data, a slice of the reader's input (valid as long as the input is).</summary>
    public ReadOnlySequence<byte> Data { get; }
}
