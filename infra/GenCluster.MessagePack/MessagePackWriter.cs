using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace GenCluster.MessagePack;

/// <summary>
/// Writes MessagePack values to an <see cref="IBufferWriter{T}"/>, always choosing the smallest encoding the
/// specification allows. Multi-byte fields are big-endian. Every call commits its bytes to the output
/// immediately (no flush needed), and nothing is allocated on the heap.
/// </summary>
public ref struct MessagePackWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Smallest block <see cref="WriteRawByReference"/> references instead of copying: below it, bookkeeping and an
    /// extra socket write cost more than the copy.
    /// </summary>
    public const int MinimumReferenceSize = 64 * 1024;

    private readonly IBufferWriter<byte> _output;

    /// <summary>Creates a writer that appends to <paramref name="output"/>.</summary>
    /// <param name="output">Where encoded bytes go, e.g. an <see cref="ArrayBufferWriter{T}"/> or a PipeWriter.</param>
    public MessagePackWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Writes nil.</summary>
    public readonly void WriteNil() => WriteByte(MessagePackCode.Nil);

    /// <summary>Writes true or false.</summary>
    /// <param name="value">The value.</param>
    public readonly void Write(bool value) => WriteByte(value ? MessagePackCode.True : MessagePackCode.False);

    /// <summary>Writes an integer in the smallest format.</summary>
    /// <param name="value">The value.</param>
    public readonly void Write(byte value) => Write((ulong)value);

    /// <summary>Writes an integer in the smallest format.</summary>
    /// <param name="value">The value.</param>
    public readonly void Write(sbyte value) => Write((long)value);

    /// <summary>Writes an integer in the smallest format.</summary>
    /// <param name="value">The value.</param>
    public readonly void Write(short value) => Write((long)value);

    /// <summary>Writes an integer in the smallest format.</summary>
    /// <param name="value">The value.</param>
    public readonly void Write(ushort value) => Write((ulong)value);

    /// <summary>Writes an integer in the smallest format.</summary>
    /// <param name="value">The value.</param>
    public readonly void Write(int value) => Write((long)value);

    /// <summary>Writes an integer in the smallest format.</summary>
    /// <param name="value">The value.</param>
    public readonly void Write(uint value) => Write((ulong)value);

    /// <summary>
    /// Writes an integer in the smallest format: non-negative values use positive fixint or uint 8/16/32/64,
    /// negative values use negative fixint or int 8/16/32/64.
    /// </summary>
    /// <param name="value">The value.</param>
    public readonly void Write(long value)
    {
        if (value >= 0)
        {
            Write((ulong)value);
            return;
        }

        if (value >= -32)
        {
            WriteByte(unchecked((byte)value));
        }
        else if (value >= sbyte.MinValue)
        {
            var span = _output.GetSpan(2);
            span[0] = MessagePackCode.Int8;
            span[1] = unchecked((byte)value);
            _output.Advance(2);
        }
        else if (value >= short.MinValue)
        {
            var span = _output.GetSpan(3);
            span[0] = MessagePackCode.Int16;
            BinaryPrimitives.WriteInt16BigEndian(span[1..], (short)value);
            _output.Advance(3);
        }
        else if (value >= int.MinValue)
        {
            var span = _output.GetSpan(5);
            span[0] = MessagePackCode.Int32;
            BinaryPrimitives.WriteInt32BigEndian(span[1..], (int)value);
            _output.Advance(5);
        }
        else
        {
            var span = _output.GetSpan(9);
            span[0] = MessagePackCode.Int64;
            BinaryPrimitives.WriteInt64BigEndian(span[1..], value);
            _output.Advance(9);
        }
    }

    /// <summary>Writes a non-negative integer in the smallest format (positive fixint, uint 8/16/32/64).</summary>
    /// <param name="value">The value.</param>
    public readonly void Write(ulong value)
    {
        if (value <= MessagePackCode.MaxFixInt)
        {
            WriteByte((byte)value);
        }
        else if (value <= byte.MaxValue)
        {
            var span = _output.GetSpan(2);
            span[0] = MessagePackCode.UInt8;
            span[1] = (byte)value;
            _output.Advance(2);
        }
        else if (value <= ushort.MaxValue)
        {
            var span = _output.GetSpan(3);
            span[0] = MessagePackCode.UInt16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value);
            _output.Advance(3);
        }
        else if (value <= uint.MaxValue)
        {
            var span = _output.GetSpan(5);
            span[0] = MessagePackCode.UInt32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value);
            _output.Advance(5);
        }
        else
        {
            var span = _output.GetSpan(9);
            span[0] = MessagePackCode.UInt64;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
            _output.Advance(9);
        }
    }

    /// <summary>Writes a float 32 (the bit pattern is kept, including NaN payloads and -0.0).</summary>
    /// <param name="value">The value.</param>
    public readonly void Write(float value)
    {
        var span = _output.GetSpan(5);
        span[0] = MessagePackCode.Float32;
        BinaryPrimitives.WriteSingleBigEndian(span[1..], value);
        _output.Advance(5);
    }

    /// <summary>Writes a float 64 (the bit pattern is kept, including NaN payloads and -0.0).</summary>
    /// <param name="value">The value.</param>
    public readonly void Write(double value)
    {
        var span = _output.GetSpan(9);
        span[0] = MessagePackCode.Float64;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        _output.Advance(9);
    }

    /// <summary>Writes a string as UTF-8 (fixstr, str 8/16/32), or nil when <paramref name="value"/> is null.</summary>
    /// <param name="value">The string.</param>
    /// <exception cref="ArgumentException">The string contains an unpaired surrogate.</exception>
    public readonly void WriteString(string? value)
    {
        if (value is null)
        {
            WriteNil();
            return;
        }

        WriteString(value.AsSpan());
    }

    /// <summary>Writes UTF-16 characters as a UTF-8 string, encoding straight into the output.</summary>
    /// <param name="value">The characters.</param>
    /// <exception cref="ArgumentException">The characters contain an unpaired surrogate.</exception>
    public readonly void WriteString(ReadOnlySpan<char> value)
    {
        // Short strings: at most 3 bytes per UTF-16 unit, so up to 10 units always fit a fixstr. Encode once,
        // straight after a one-byte header, and patch the header with the real length.
        if (value.Length <= 10)
        {
            var span = _output.GetSpan(1 + (value.Length * 3));
            int written = StrictUtf8.GetBytes(value, span[1..]);
            span[0] = (byte)(MessagePackCode.MinFixStr | written);
            _output.Advance(1 + written);
            return;
        }

        int byteCount = StrictUtf8.GetByteCount(value);
        WriteStringHeader(byteCount);
        var body = _output.GetSpan(byteCount);
        int actual = StrictUtf8.GetBytes(value, body);
        _output.Advance(actual);
    }

    /// <summary>Writes an already UTF-8-encoded string.</summary>
    /// <param name="utf8">The UTF-8 bytes.</param>
    /// <exception cref="ArgumentException">The bytes are not valid UTF-8.</exception>
    public readonly void WriteStringUtf8(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            throw new ArgumentException("not valid UTF-8", nameof(utf8));
        }

        WriteStringHeader(utf8.Length);
        WriteRaw(utf8);
    }

    /// <summary>
    /// Writes only a string header (fixstr, str 8/16/32) for <paramref name="byteCount"/> UTF-8 bytes; the caller
    /// must then write exactly that many bytes of valid UTF-8 with <see cref="WriteRaw(ReadOnlySpan{byte})"/>.
    /// </summary>
    /// <param name="byteCount">Length of the string in UTF-8 bytes.</param>
    public readonly void WriteStringHeader(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        if (byteCount <= 31)
        {
            WriteByte((byte)(MessagePackCode.MinFixStr | byteCount));
        }
        else if (byteCount <= byte.MaxValue)
        {
            var span = _output.GetSpan(2);
            span[0] = MessagePackCode.Str8;
            span[1] = (byte)byteCount;
            _output.Advance(2);
        }
        else
        {
            WriteLengthHeader(MessagePackCode.Str16, MessagePackCode.Str32, (uint)byteCount);
        }
    }

    /// <summary>Writes a binary value (bin 8/16/32).</summary>
    /// <param name="value">The bytes.</param>
    public readonly void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteBinaryHeader(value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes a binary value (bin 8/16/32) from a possibly multi-segment sequence.</summary>
    /// <param name="value">The bytes.</param>
    public readonly void WriteBinary(in ReadOnlySequence<byte> value)
    {
        if (value.Length > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.Length, "binary values are limited to int.MaxValue bytes");
        }

        WriteBinaryHeader((int)value.Length);
        WriteRaw(value);
    }

    /// <summary>
    /// Writes only a binary header (bin 8/16/32); the caller must then write exactly <paramref name="length"/> bytes
    /// (with <see cref="WriteRaw(ReadOnlySpan{byte})"/> or <see cref="GetSpan"/>/<see cref="Advance"/>).
    /// </summary>
    /// <param name="length">Length of the binary value in bytes.</param>
    public readonly void WriteBinaryHeader(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length <= byte.MaxValue)
        {
            var span = _output.GetSpan(2);
            span[0] = MessagePackCode.Bin8;
            span[1] = (byte)length;
            _output.Advance(2);
        }
        else
        {
            WriteLengthHeader(MessagePackCode.Bin16, MessagePackCode.Bin32, (uint)length);
        }
    }

    /// <summary>Writes an array header (fixarray, array 16/32); the elements follow as separate values.</summary>
    /// <param name="count">Number of elements.</param>
    public readonly void WriteArrayHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteArrayHeader((uint)count);
    }

    /// <summary>Writes an array header (fixarray, array 16/32); the elements follow as separate values.</summary>
    /// <param name="count">Number of elements.</param>
    public readonly void WriteArrayHeader(uint count)
    {
        if (count <= 15)
        {
            WriteByte((byte)(MessagePackCode.MinFixArray | count));
        }
        else
        {
            WriteLengthHeader(MessagePackCode.Array16, MessagePackCode.Array32, count);
        }
    }

    /// <summary>Writes a map header (fixmap, map 16/32); the entries follow as key, value, key, value…</summary>
    /// <param name="count">Number of key/value entries.</param>
    public readonly void WriteMapHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteMapHeader((uint)count);
    }

    /// <summary>Writes a map header (fixmap, map 16/32); the entries follow as key, value, key, value…</summary>
    /// <param name="count">Number of key/value entries.</param>
    public readonly void WriteMapHeader(uint count)
    {
        if (count <= 15)
        {
            WriteByte((byte)(MessagePackCode.MinFixMap | count));
        }
        else
        {
            WriteLengthHeader(MessagePackCode.Map16, MessagePackCode.Map32, count);
        }
    }

    /// <summary>
    /// Writes an extension header: fixext 1/2/4/8/16 when the length is one of those sizes, otherwise ext 8/16/32.
    /// The caller must then write exactly <paramref name="length"/> data bytes.
    /// </summary>
    /// <param name="typeCode">The extension type.</param>
    /// <param name="length">Length of the extension data.</param>
    public readonly void WriteExtensionHeader(sbyte typeCode, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        byte fixCode = length switch
        {
            1 => MessagePackCode.FixExt1,
            2 => MessagePackCode.FixExt2,
            4 => MessagePackCode.FixExt4,
            8 => MessagePackCode.FixExt8,
            16 => MessagePackCode.FixExt16,
            _ => 0,
        };
        if (fixCode != 0)
        {
            var span = _output.GetSpan(2);
            span[0] = fixCode;
            span[1] = unchecked((byte)typeCode);
            _output.Advance(2);
        }
        else if (length <= byte.MaxValue)
        {
            var span = _output.GetSpan(3);
            span[0] = MessagePackCode.Ext8;
            span[1] = (byte)length;
            span[2] = unchecked((byte)typeCode);
            _output.Advance(3);
        }
        else if (length <= ushort.MaxValue)
        {
            var span = _output.GetSpan(4);
            span[0] = MessagePackCode.Ext16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
            span[3] = unchecked((byte)typeCode);
            _output.Advance(4);
        }
        else
        {
            var span = _output.GetSpan(6);
            span[0] = MessagePackCode.Ext32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
            span[5] = unchecked((byte)typeCode);
            _output.Advance(6);
        }
    }

    /// <summary>Writes a complete extension value.</summary>
    /// <param name="typeCode">The extension type.</param>
    /// <param name="data">The extension data.</param>
    public readonly void WriteExtension(sbyte typeCode, ReadOnlySpan<byte> data)
    {
        WriteExtensionHeader(typeCode, data.Length);
        WriteRaw(data);
    }

    /// <summary>
    /// Writes a timestamp extension (type -1) in the form the specification prescribes: timestamp 32 when
    /// nanoseconds are 0 and seconds fit in 32 unsigned bits, timestamp 64 when seconds fit in 34 unsigned bits,
    /// timestamp 96 otherwise.
    /// </summary>
    /// <param name="value">The timestamp.</param>
    public readonly void WriteTimestamp(MessagePackTimestamp value)
    {
        long seconds = value.Seconds;
        uint nanoseconds = value.Nanoseconds;
        if ((ulong)seconds >> 34 == 0)
        {
            if (nanoseconds == 0 && seconds <= uint.MaxValue)
            {
                var span = _output.GetSpan(6);
                span[0] = MessagePackCode.FixExt4;
                span[1] = unchecked((byte)MessagePackCode.TimestampExtensionType);
                BinaryPrimitives.WriteUInt32BigEndian(span[2..], (uint)seconds);
                _output.Advance(6);
            }
            else
            {
                var span = _output.GetSpan(10);
                span[0] = MessagePackCode.FixExt8;
                span[1] = unchecked((byte)MessagePackCode.TimestampExtensionType);
                BinaryPrimitives.WriteUInt64BigEndian(span[2..], ((ulong)nanoseconds << 34) | (ulong)seconds);
                _output.Advance(10);
            }
        }
        else
        {
            var span = _output.GetSpan(15);
            span[0] = MessagePackCode.Ext8;
            span[1] = 12;
            span[2] = unchecked((byte)MessagePackCode.TimestampExtensionType);
            BinaryPrimitives.WriteUInt32BigEndian(span[3..], nanoseconds);
            BinaryPrimitives.WriteInt64BigEndian(span[7..], seconds);
            _output.Advance(15);
        }
    }

    /// <summary>Writes a <see cref="DateTime"/> as a timestamp extension (see <see cref="MessagePackTimestamp.FromDateTime"/>).</summary>
    /// <param name="value">The instant.</param>
    public readonly void WriteTimestamp(DateTime value) => WriteTimestamp(MessagePackTimestamp.FromDateTime(value));

    /// <summary>Copies pre-encoded bytes to the output unchanged (e.g. a value read with <see cref="MessagePackReader.ReadRaw()"/>).</summary>
    /// <param name="bytes">Bytes that are already valid MessagePack (or the body announced by a header just written).</param>
    public readonly void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        var span = _output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _output.Advance(bytes.Length);
    }

    /// <summary>Copies pre-encoded bytes from a possibly multi-segment sequence to the output unchanged.</summary>
    /// <param name="bytes">Bytes that are already valid MessagePack (or the body announced by a header just written).</param>
    public readonly void WriteRaw(in ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            WriteRaw(segment.Span);
        }
    }

    /// <summary>
    /// Appends <paramref name="bytes"/> unchanged, by reference when the output is an
    /// <see cref="IBufferReferenceWriter"/> and the block is at least <see cref="MinimumReferenceSize"/> bytes (no
    /// copy: the block is sent from where it lies), else by copying as <see cref="WriteRaw(ReadOnlySpan{byte})"/> does.
    /// </summary>
    /// <param name="bytes">Bytes that must stay unchanged until the output has been consumed.</param>
    public readonly void WriteRawByReference(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length >= MinimumReferenceSize && _output is IBufferReferenceWriter references)
        {
            references.WriteByReference(bytes);
        }
        else
        {
            WriteRaw(bytes.Span);
        }
    }

    /// <summary>
    /// Writes a binary value (bin 8/16/32) whose bytes are appended by reference when the output allows it (see
    /// <see cref="WriteRawByReference"/>); a <see cref="SegmentedMemory"/> keeps its large blocks referenced.
    /// </summary>
    /// <param name="value">The bytes; they must stay unchanged until the output has been consumed.</param>
    public readonly void WriteBinaryByReference(ReadOnlyMemory<byte> value)
    {
        // Small values (every ordinary message body) are copied without looking for blocks: none can be referenced.
        if (value.Length < MinimumReferenceSize)
        {
            WriteBinary(value.Span);
            return;
        }

        WriteBinaryHeader(value.Length);
        foreach (var segment in SegmentedMemory.AsSequence(value))
        {
            WriteRawByReference(segment);
        }
    }

    /// <summary>
    /// Returns a buffer of at least <paramref name="sizeHint"/> bytes to fill directly (for example with the body of
    /// a binary value whose header was written with <see cref="WriteBinaryHeader"/>); commit with <see cref="Advance"/>.
    /// </summary>
    /// <param name="sizeHint">Minimum size wanted.</param>
    /// <returns>A writable span of the output.</returns>
    public readonly Span<byte> GetSpan(int sizeHint) => _output.GetSpan(sizeHint);

    /// <summary>Commits <paramref name="count"/> bytes written into the span returned by <see cref="GetSpan"/>.</summary>
    /// <param name="count">Number of bytes written.</param>
    public readonly void Advance(int count) => _output.Advance(count);

    private readonly void WriteByte(byte value)
    {
        var span = _output.GetSpan(1);
        span[0] = value;
        _output.Advance(1);
    }

    private readonly void WriteLengthHeader(byte code16, byte code32, uint length)
    {
        if (length <= ushort.MaxValue)
        {
            var span = _output.GetSpan(3);
            span[0] = code16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
            _output.Advance(3);
        }
        else
        {
            var span = _output.GetSpan(5);
            span[0] = code32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], length);
            _output.Advance(5);
        }
    }
}
