namespace GenCluster.MessagePack;

/// <summary>
/// NumPy array-protocol type strings (<c>dtype.str</c>) accepted in tensor maps, and their item sizes. Only
/// little-endian (<c>&lt;</c>) and byte-order-free single-byte (<c>|</c>) types are accepted, because tensor data
/// travels as raw little-endian bytes.
/// </summary>
public static class TensorDType
{
    /// <summary>IEEE half precision.</summary>
    public const string Float16 = "<f2";

    /// <summary>IEEE single precision.</summary>
    public const string Float32 = "<f4";

    /// <summary>IEEE double precision.</summary>
    public const string Float64 = "<f8";

    /// <summary>Signed 8-bit integer.</summary>
    public const string Int8 = "|i1";

    /// <summary>Signed 16-bit integer.</summary>
    public const string Int16 = "<i2";

    /// <summary>Signed 32-bit integer.</summary>
    public const string Int32 = "<i4";

    /// <summary>Signed 64-bit integer.</summary>
    public const string Int64 = "<i8";

    /// <summary>Unsigned 8-bit integer.</summary>
    public const string UInt8 = "|u1";

    /// <summary>Unsigned 16-bit integer.</summary>
    public const string UInt16 = "<u2";

    /// <summary>Unsigned 32-bit integer.</summary>
    public const string UInt32 = "<u4";

    /// <summary>Unsigned 64-bit integer.</summary>
    public const string UInt64 = "<u8";

    /// <summary>Boolean, one byte per element.</summary>
    public const string Bool = "|b1";

    /// <summary>Complex of two single-precision floats.</summary>
    public const string Complex64 = "<c8";

    /// <summary>Complex of two double-precision floats.</summary>
    public const string Complex128 = "<c16";

    private static readonly string[] Known =
    [
        Float32, Float64, Int64, Int32, UInt8, Bool, Float16, Int8, Int16, UInt16, UInt32, UInt64, Complex64, Complex128,
    ];

    /// <summary>Returns the item size of a supported type string.</summary>
    /// <param name="dtype">A type string such as <c>&lt;f4</c>.</param>
    /// <param name="itemSize">Bytes per element.</param>
    /// <returns>Whether the type string is supported.</returns>
    public static bool TryGetItemSize(ReadOnlySpan<char> dtype, out int itemSize)
    {
        itemSize = 0;
        if (dtype.Length > 8)
        {
            return false;
        }

        Span<byte> ascii = stackalloc byte[8];
        for (int i = 0; i < dtype.Length; i++)
        {
            if (dtype[i] > 0x7f)
            {
                return false;
            }

            ascii[i] = (byte)dtype[i];
        }

        return TryParseItemSize(ascii[..dtype.Length], out itemSize);
    }

    /// <summary>Returns the item size of a supported type string.</summary>
    /// <param name="dtype">A type string such as <c>&lt;f4</c>.</param>
    /// <returns>Bytes per element.</returns>
    /// <exception cref="ArgumentException">The type string is not supported.</exception>
    public static int GetItemSize(string dtype)
    {
        ArgumentNullException.ThrowIfNull(dtype);
        return TryGetItemSize(dtype, out int itemSize)
            ? itemSize
            : throw new ArgumentException($"unsupported tensor dtype '{dtype}' (expected e.g. <f4, <f8, <i8, |u1, |b1)", nameof(dtype));
    }

    /// <summary>Parses an ASCII type string read from the wire, returning a shared instance for common types.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> ascii, out string dtype, out int itemSize)
    {
        dtype = string.Empty;
        if (!TryParseItemSize(ascii, out itemSize))
        {
            return false;
        }

        foreach (string known in Known)
        {
            if (ascii.Length == known.Length && EqualsAscii(ascii, known))
            {
                dtype = known;
                return true;
            }
        }

        dtype = System.Text.Encoding.ASCII.GetString(ascii);
        return true;
    }

    private static bool TryParseItemSize(ReadOnlySpan<byte> s, out int itemSize)
    {
        itemSize = 0;
        if (s.Length is < 3 or > 4)
        {
            return false;
        }

        int size = 0;
        for (int i = 2; i < s.Length; i++)
        {
            if (s[i] is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            size = (size * 10) + (s[i] - '0');
        }

        bool valid = s[1] switch
        {
            (byte)'b' => size == 1,
            (byte)'i' or (byte)'u' => size is 1 or 2 or 4 or 8,
            (byte)'f' => size is 2 or 4 or 8,
            (byte)'c' => size is 8 or 16,
            _ => false,
        };
        valid &= s[0] switch
        {
            (byte)'<' => true,
            (byte)'|' => size == 1,
            _ => false,
        };
        if (!valid || (s.Length == 4 && s[2] == '0'))
        {
            return false;
        }

        itemSize = size;
        return true;
    }

    private static bool EqualsAscii(ReadOnlySpan<byte> ascii, string text)
    {
        for (int i = 0; i < ascii.Length; i++)
        {
            if (ascii[i] != text[i])
            {
                return false;
            }
        }

        return true;
    }
}
