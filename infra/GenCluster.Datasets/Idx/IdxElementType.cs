namespace GenCluster.Datasets;

/// <summary>
/// The element type code stored in the third byte of an IDX magic number.
/// </summary>
/// <remarks>
/// Multi-byte element types are stored big-endian in the file; <see cref="IdxReader"/> keeps the
/// payload bytes exactly as they appear in the file.
/// </remarks>
public enum IdxElementType : byte
{
    /// <summary>Unsigned 8-bit integer (code 0x08).</summary>
    UnsignedByte = 0x08,

    /// <summary>Signed 8-bit integer (code 0x09).</summary>
    SignedByte = 0x09,

    /// <summary>Signed 16-bit integer, big-endian (code 0x0B).</summary>
    Int16 = 0x0B,

    /// <summary>Signed 32-bit integer, big-endian (code 0x0C).</summary>
    Int32 = 0x0C,

    /// <summary>IEEE 754 single precision, big-endian (code 0x0D).</summary>
    Float32 = 0x0D,

    /// <summary>IEEE 754 double precision, big-endian (code 0x0E).</summary>
    Float64 = 0x0E,
}
