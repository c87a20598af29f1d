using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace GenCluster.MessagePack;

/// <summary>
/// Reads MessagePack values from a <see cref="ReadOnlySequence{T}"/> without allocating per value: strings, binary
/// and extension data are returned as slices of the input. Input is treated as untrusted: every length is checked
/// against <see cref="MessagePackReaderOptions"/> and against the bytes actually present before anything is
/// allocated, and every failure is reported as a <see cref="MessagePackDecodeException"/>.
/// </summary>
/// <remarks>
/// A single-segment input (the common case: one frame in one buffer) is read through a span fast path; a
/// multi-segment input (e.g. a frame that straddles pipe buffers) is read through a <see cref="SequenceReader{T}"/>.
/// The reader is a mutable value type: copy it to look ahead (<see cref="CreatePeekReader"/>).
/// </remarks>
public ref struct MessagePackReader
{
    private readonly ReadOnlySequence<byte> _sequence;
    private readonly ReadOnlySpan<byte> _span;
    private readonly bool _single;
    private readonly MessagePackReaderOptions _options;
    private SequenceReader<byte> _multi;
    private int _position;
    private long _tokenStart;

    /// <summary>Creates a reader over <paramref name="sequence"/>.</summary>
    /// <param name="sequence">The encoded bytes.</param>
    /// <param name="options">Limits; <see cref="MessagePackReaderOptions.Default"/> when null.</param>
    public MessagePackReader(ReadOnlySequence<byte> sequence, MessagePackReaderOptions? options = null)
    {
        _sequence = sequence;
        _options = options ?? MessagePackReaderOptions.Default;
        _single = sequence.IsSingleSegment;
        _span = _single ? sequence.FirstSpan : default;
        _multi = _single ? default : new SequenceReader<byte>(sequence);
        _position = 0;
        _tokenStart = 0;
    }

    /// <summary>Creates a reader over a block of memory (a <see cref="SegmentedMemory"/> is read block by block, not copied).</summary>
    /// <param name="memory">The encoded bytes.</param>
    /// <param name="options">Limits; <see cref="MessagePackReaderOptions.Default"/> when null.</param>
    public MessagePackReader(ReadOnlyMemory<byte> memory, MessagePackReaderOptions? options = null)
        : this(SegmentedMemory.AsSequence(memory), options)
    {
    }

    /// <summary>The limits this reader enforces.</summary>
    public readonly MessagePackReaderOptions Options => _options;

    /// <summary>The whole input.</summary>
    public readonly ReadOnlySequence<byte> Sequence => _sequence;

    /// <summary>Number of bytes consumed so far.</summary>
    public readonly long Consumed => _single ? _position : _multi.Consumed;

    /// <summary>Number of bytes not yet consumed.</summary>
    public readonly long Remaining => _single ? _span.Length - _position : _multi.Remaining;

    /// <summary>Whether all input has been consumed.</summary>
    public readonly bool End => Remaining == 0;

    /// <summary>The position of the next unread byte within <see cref="Sequence"/>.</summary>
    public readonly SequencePosition Position => _single ? _sequence.GetPosition(_position) : _multi.Position;

    /// <summary>The input that has not been consumed yet.</summary>
    public readonly ReadOnlySequence<byte> RemainingSequence => _single ? _sequence.Slice(_position) : _multi.UnreadSequence;

    /// <summary>Whether the next value is nil (false at the end of input).</summary>
    public readonly bool IsNil => TryPeekCode(out byte code) && code == MessagePackCode.Nil;

    /// <summary>Returns the type family of the next value without consuming it.</summary>
    /// <returns>The type family (<see cref="MessagePackType.Invalid"/> for <c>0xc1</c>).</returns>
    /// <exception cref="MessagePackDecodeException">The input is exhausted.</exception>
    public readonly MessagePackType PeekType()
    {
        if (!TryPeekCode(out byte code))
        {
            throw new MessagePackDecodeException(MessagePackDecodeError.Truncated, "no more input", Consumed);
        }

        return MessagePackCode.ToMessagePackType(code);
    }

    /// <summary>Returns a copy of this reader at the same position; reading from the copy does not move this one.</summary>
    /// <returns>An independent reader.</returns>
    public readonly MessagePackReader CreatePeekReader() => this;

    /// <summary>Looks at the first byte of the next value without consuming it.</summary>
    /// <param name="code">The byte, when available.</param>
    /// <returns><see langword="false"/> at the end of input.</returns>
    public readonly bool TryPeekCode(out byte code)
    {
        if (_single)
        {
            if (_position < _span.Length)
            {
                code = _span[_position];
                return true;
            }

            code = 0;
            return false;
        }

        return _multi.TryPeek(out code);
    }

    /// <summary>Looks at the type family of the next value without consuming it.</summary>
    /// <param name="type">The type family (<see cref="MessagePackType.Invalid"/> for <c>0xc1</c>), when available.</param>
    /// <returns><see langword="false"/> at the end of input.</returns>
    public readonly bool TryPeekType(out MessagePackType type)
    {
        if (TryPeekCode(out byte code))
        {
            type = MessagePackCode.ToMessagePackType(code);
            return true;
        }

        type = default;
        return false;
    }

    /// <summary>Consumes a nil if one is next.</summary>
    /// <returns>Whether a nil was consumed.</returns>
    public bool TryReadNil()
    {
        if (IsNil)
        {
            ReadCode();
            return true;
        }

        return false;
    }

    /// <summary>Reads a nil.</summary>
    /// <exception cref="MessagePackDecodeException">The next value is not nil, or the input is malformed.</exception>
    public void ReadNil()
    {
        byte code = ReadCode();
        if (code != MessagePackCode.Nil)
        {
            throw UnexpectedType(code, "nil");
        }
    }

    /// <summary>Reads a boolean.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MessagePackDecodeException">The next value is not a boolean, or the input is malformed.</exception>
    public bool ReadBoolean()
    {
        byte code = ReadCode();
        return code switch
        {
            MessagePackCode.True => true,
            MessagePackCode.False => false,
            _ => throw UnexpectedType(code, "boolean"),
        };
    }

    /// <summary>Reads an integer of any encoding into a <see cref="long"/>.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MessagePackDecodeException">Not an integer, or a uint 64 above <see cref="long.MaxValue"/>.</exception>
    public long ReadInt64()
    {
        long value = ReadIntegerFromCode(ReadCode(), "integer", out bool aboveInt64);
        if (aboveInt64)
        {
            throw Fail(MessagePackDecodeError.IntegerOverflow, $"{(ulong)value} does not fit Int64");
        }

        return value;
    }

    /// <summary>Reads a non-negative integer of any encoding into a <see cref="ulong"/>.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MessagePackDecodeException">Not an integer, or negative.</exception>
    public ulong ReadUInt64()
    {
        long value = ReadIntegerFromCode(ReadCode(), "integer", out bool aboveInt64);
        if (!aboveInt64 && value < 0)
        {
            throw Fail(MessagePackDecodeError.IntegerOverflow, $"{value} does not fit UInt64");
        }

        return unchecked((ulong)value);
    }

    /// <summary>Reads an integer into an <see cref="int"/>, rejecting values out of range.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MessagePackDecodeException">Not an integer, or out of range.</exception>
    public int ReadInt32() => (int)ReadRanged(int.MinValue, int.MaxValue, "Int32");

    /// <summary>Reads an integer into a <see cref="uint"/>, rejecting values out of range.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MessagePackDecodeException">Not an integer, or out of range.</exception>
    public uint ReadUInt32() => (uint)ReadRanged(0, uint.MaxValue, "UInt32");

    /// <summary>Reads an integer into a <see cref="short"/>, rejecting values out of range.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MessagePackDecodeException">Not an integer, or out of range.</exception>
    public short ReadInt16() => (short)ReadRanged(short.MinValue, short.MaxValue, "Int16");

    /// <summary>Reads an integer into a <see cref="ushort"/>, rejecting values out of range.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MessagePackDecodeException">Not an integer, or out of range.</exception>
    public ushort ReadUInt16() => (ushort)ReadRanged(0, ushort.MaxValue, "UInt16");

    /// <summary>Reads an integer into an <see cref="sbyte"/>, rejecting values out of range.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MessagePackDecodeException">Not an integer, or out of range.</exception>
    public sbyte ReadSByte() => (sbyte)ReadRanged(sbyte.MinValue, sbyte.MaxValue, "SByte");

    /// <summary>Reads an integer into a <see cref="byte"/>, rejecting values out of range.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MessagePackDecodeException">Not an integer, or out of range.</exception>
    public byte ReadByte() => (byte)ReadRanged(0, byte.MaxValue, "Byte");

    /// <summary>Reads a float 64, a float 32 (widened exactly) or an integer (converted) as a <see cref="double"/>.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MessagePackDecodeException">Not a number, or malformed.</exception>
    public double ReadDouble()
    {
        byte code = ReadCode();
        switch (code)
        {
            case MessagePackCode.Float64:
                return BitConverter.Int64BitsToDouble(unchecked((long)ReadBigEndianUInt64()));
            case MessagePackCode.Float32:
                return BitConverter.Int32BitsToSingle(unchecked((int)ReadBigEndianUInt32()));
            default:
                long value = ReadIntegerFromCode(code, "float", out bool aboveInt64);
                return aboveInt64 ? (double)unchecked((ulong)value) : value;
        }
    }

    /// <summary>Reads a float 32, a float 64 (narrowed) or an integer (converted) as a <see cref="float"/>.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MessagePackDecodeException">Not a number, or malformed.</exception>
    public float ReadSingle()
    {
        byte code = ReadCode();
        switch (code)
        {
            case MessagePackCode.Float32:
                return BitConverter.Int32BitsToSingle(unchecked((int)ReadBigEndianUInt32()));
            case MessagePackCode.Float64:
                return (float)BitConverter.Int64BitsToDouble(unchecked((long)ReadBigEndianUInt64()));
            default:
                long value = ReadIntegerFromCode(code, "float", out bool aboveInt64);
                return aboveInt64 ? (float)unchecked((ulong)value) : value;
        }
    }

    /// <summary>
    /// Reads an array header and returns the element count. The count has been checked against
    /// <see cref="MessagePackReaderOptions.MaxCollectionLength"/> and against the remaining input (each element
    /// needs at least one byte), so it is safe to allocate from.
    /// </summary>
    /// <returns>The number of elements that follow.</returns>
    /// <exception cref="MessagePackDecodeException">Not an array, or the count is impossible or over the limit.</exception>
    public int ReadArrayHeader() => ArrayCountFromCode(ReadCode());

    /// <summary>
    /// Reads a map header and returns the entry count, checked like <see cref="ReadArrayHeader"/> (each entry needs
    /// at least two bytes).
    /// </summary>
    /// <returns>The number of key/value entries that follow.</returns>
    /// <exception cref="MessagePackDecodeException">Not a map, or the count is impossible or over the limit.</exception>
    public int ReadMapHeader() => MapCountFromCode(ReadCode());

    /// <summary>Reads a string header and returns its byte length, leaving the UTF-8 body unread (and unvalidated).</summary>
    /// <returns>The length in bytes; that many bytes are present in the input.</returns>
    /// <exception cref="MessagePackDecodeException">Not a string, or over the limit, or truncated.</exception>
    public int ReadStringHeader()
    {
        int length = StringLengthFromCode(ReadCode());
        Require(length);
        return length;
    }

    /// <summary>Reads a string as a validated UTF-8 slice of the input (no copy).</summary>
    /// <returns>The UTF-8 bytes.</returns>
    /// <exception cref="MessagePackDecodeException">Not a string, invalid UTF-8, over the limit, or truncated.</exception>
    public ReadOnlySequence<byte> ReadStringSequence()
    {
        int length = StringLengthFromCode(ReadCode());
        var slice = ReadSlice(length);
        ValidateUtf8(slice);
        return slice;
    }

    /// <summary>
    /// Reads a string as a validated UTF-8 span. The span is a slice of the input when the string lies in one
    /// segment (always, for single-segment input); otherwise it is copied into a new array.
    /// </summary>
    /// <returns>The UTF-8 bytes.</returns>
    /// <exception cref="MessagePackDecodeException">Not a string, invalid UTF-8, over the limit, or truncated.</exception>
    public ReadOnlySpan<byte> ReadStringSpan()
    {
        var slice = ReadStringSequence();
        return slice.IsSingleSegment ? slice.FirstSpan : slice.ToArray();
    }

    /// <summary>Reads a string into a new <see cref="string"/>.</summary>
    /// <returns>The string.</returns>
    /// <exception cref="MessagePackDecodeException">Not a string, invalid UTF-8, over the limit, or truncated.</exception>
    public string ReadString()
    {
        var slice = ReadStringSequence();
        return slice.IsSingleSegment ? Encoding.UTF8.GetString(slice.FirstSpan) : Encoding.UTF8.GetString(slice);
    }

    /// <summary>Reads a binary value (bin 8/16/32) as a slice of the input (no copy).</summary>
    /// <returns>The bytes.</returns>
    /// <exception cref="MessagePackDecodeException">Not binary, over the limit, or truncated.</exception>
    public ReadOnlySequence<byte> ReadBytes()
    {
        int length = BinaryLengthFromCode(ReadCode());
        return ReadSlice(length);
    }

    /// <summary>Reads a binary header and returns its length, leaving the body unread.</summary>
    /// <returns>The length in bytes; that many bytes are present in the input.</returns>
    /// <exception cref="MessagePackDecodeException">Not binary, over the limit, or truncated.</exception>
    public int ReadBinaryHeader()
    {
        int length = BinaryLengthFromCode(ReadCode());
        Require(length);
        return length;
    }

    /// <summary>Reads an extension header, leaving the data unread; read it with <see cref="ReadRaw(long)"/>.</summary>
    /// <returns>The extension type and data length; that many bytes are present in the input.</returns>
    /// <exception cref="MessagePackDecodeException">Not an extension, over the limit, or truncated.</exception>
    public ExtensionHeader ReadExtensionHeader()
    {
        var header = ExtensionHeaderFromCode(ReadCode());
        Require(header.Length);
        return header;
    }

    /// <summary>Reads an extension value; its data is a slice of the input (no copy).</summary>
    /// <returns>The extension.</returns>
    /// <exception cref="MessagePackDecodeException">Not an extension, over the limit, or truncated.</exception>
    public MessagePackExtension ReadExtension()
    {
        var header = ExtensionHeaderFromCode(ReadCode());
        return new MessagePackExtension(header.TypeCode, ReadSlice(header.Length));
    }

    /// <summary>Reads a timestamp extension (type -1) in its 32-, 64- or 96-bit form.</summary>
    /// <returns>The timestamp.</returns>
    /// <exception cref="MessagePackDecodeException">Not a timestamp, or an invalid length or nanosecond field.</exception>
    public MessagePackTimestamp ReadTimestamp()
    {
        byte code = ReadCode();
        var header = ExtensionHeaderFromCode(code);
        if (header.TypeCode != MessagePackCode.TimestampExtensionType)
        {
            throw Fail(MessagePackDecodeError.UnexpectedType, $"expected timestamp (extension -1), found extension {header.TypeCode}");
        }

        return ReadTimestampBody(header.Length);
    }

    /// <summary>Reads a timestamp extension as a UTC <see cref="DateTime"/> (truncated to 100 ns ticks).</summary>
    /// <returns>The instant.</returns>
    /// <exception cref="MessagePackDecodeException">Not a valid timestamp, or outside the <see cref="DateTime"/> range.</exception>
    public DateTime ReadDateTime()
    {
        var timestamp = ReadTimestamp();
        if (!timestamp.TryToDateTime(out var value))
        {
            throw Fail(MessagePackDecodeError.InvalidTimestamp, $"timestamp {timestamp} is outside the DateTime range");
        }

        return value;
    }

    /// <summary>
    /// Skips the next value, including everything nested in it. Structure, lengths, depth and limits are checked;
    /// string bodies are not UTF-8-validated and extension data is not interpreted.
    /// </summary>
    /// <exception cref="MessagePackDecodeException">The value is malformed, truncated, too deep or over a limit.</exception>
    public void Skip() => SkipCore(0);

    /// <summary>Skips the next value (see <see cref="Skip"/>) and returns its encoded bytes as a slice of the input.</summary>
    /// <returns>The complete encoding of one value.</returns>
    /// <exception cref="MessagePackDecodeException">The value is malformed, truncated, too deep or over a limit.</exception>
    public ReadOnlySequence<byte> ReadRaw()
    {
        if (_single)
        {
            int start = _position;
            SkipCore(0);
            return _sequence.Slice(start, _position - start);
        }

        var startPosition = _multi.Position;
        SkipCore(0);
        return _sequence.Slice(startPosition, _multi.Position);
    }

    /// <summary>Consumes <paramref name="length"/> bytes and returns them as a slice of the input (e.g. extension data).</summary>
    /// <param name="length">Number of bytes.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="MessagePackDecodeException">Fewer bytes remain, or the total-bytes limit would be exceeded.</exception>
    public ReadOnlySequence<byte> ReadRaw(long length)
    {
        _tokenStart = Consumed;
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return ReadSlice(length);
    }

    /// <summary>
    /// Reads the next value, with everything nested in it, into a <see cref="MessagePackValue"/> tree. Meant for
    /// tests and diagnostics: it allocates. Strings are UTF-8-validated and timestamps (extension -1) are decoded.
    /// </summary>
    /// <returns>The value.</returns>
    /// <exception cref="MessagePackDecodeException">The value is malformed, truncated, too deep or over a limit.</exception>
    public MessagePackValue ReadValue() => ReadValueCore(0);

    private MessagePackValue ReadValueCore(int depth)
    {
        if (!TryPeekCode(out byte code))
        {
            _tokenStart = Consumed;
            throw Fail(MessagePackDecodeError.Truncated, "expected a value, found end of input");
        }

        switch (MessagePackCode.ToMessagePackType(code))
        {
            case MessagePackType.Nil:
                ReadCode();
                return MessagePackValue.Nil;
            case MessagePackType.Boolean:
                return MessagePackValue.FromBoolean(ReadBoolean());
            case MessagePackType.Integer:
                long value = ReadIntegerFromCode(ReadCode(), "integer", out bool aboveInt64);
                return aboveInt64 ? MessagePackValue.FromInteger(unchecked((ulong)value)) : MessagePackValue.FromInteger(value);
            case MessagePackType.Float:
                return code == MessagePackCode.Float32
                    ? MessagePackValue.FromFloat32(ReadSingle())
                    : MessagePackValue.FromFloat64(ReadDouble());
            case MessagePackType.String:
                return MessagePackValue.FromString(ReadString());
            case MessagePackType.Binary:
                return MessagePackValue.FromBinary(ReadBytes().ToArray());
            case MessagePackType.Extension:
                var header = ExtensionHeaderFromCode(ReadCode());
                return header.TypeCode == MessagePackCode.TimestampExtensionType
                    ? MessagePackValue.FromTimestamp(ReadTimestampBody(header.Length))
                    : MessagePackValue.FromExtension(header.TypeCode, ReadSlice(header.Length).ToArray());
            case MessagePackType.Array:
            {
                int count = ArrayCountFromCode(ReadCode());
                EnterContainer(depth + 1);
                var items = count == 0 ? [] : new MessagePackValue[count];
                for (int i = 0; i < items.Length; i++)
                {
                    items[i] = ReadValueCore(depth + 1);
                }

                return MessagePackValue.FromArray(items);
            }

            case MessagePackType.Map:
            {
                int count = MapCountFromCode(ReadCode());
                EnterContainer(depth + 1);
                var entries = count == 0 ? [] : new KeyValuePair<MessagePackValue, MessagePackValue>[count];
                for (int i = 0; i < entries.Length; i++)
                {
                    var key = ReadValueCore(depth + 1);
                    var item = ReadValueCore(depth + 1);
                    entries[i] = new KeyValuePair<MessagePackValue, MessagePackValue>(key, item);
                }

                return MessagePackValue.FromMap(entries);
            }

            default:
                throw UnexpectedType(ReadCode(), "a value");
        }
    }

    private void SkipCore(int depth)
    {
        byte code = ReadCode();
        switch (MessagePackCode.ToMessagePackType(code))
        {
            case MessagePackType.Nil:
            case MessagePackType.Boolean:
                return;
            case MessagePackType.Integer:
            case MessagePackType.Float:
                AdvanceBytes(code switch
                {
                    MessagePackCode.UInt8 or MessagePackCode.Int8 => 1,
                    MessagePackCode.UInt16 or MessagePackCode.Int16 => 2,
                    MessagePackCode.UInt32 or MessagePackCode.Int32 or MessagePackCode.Float32 => 4,
                    MessagePackCode.UInt64 or MessagePackCode.Int64 or MessagePackCode.Float64 => 8,
                    _ => 0,
                });
                return;
            case MessagePackType.String:
                AdvanceBytes(StringLengthFromCode(code));
                return;
            case MessagePackType.Binary:
                AdvanceBytes(BinaryLengthFromCode(code));
                return;
            case MessagePackType.Extension:
                AdvanceBytes(ExtensionHeaderFromCode(code).Length);
                return;
            case MessagePackType.Array:
            {
                int count = ArrayCountFromCode(code);
                EnterContainer(depth + 1);
                for (int i = 0; i < count; i++)
                {
                    SkipCore(depth + 1);
                }

                return;
            }

            case MessagePackType.Map:
            {
                long count = 2L * MapCountFromCode(code);
                EnterContainer(depth + 1);
                for (long i = 0; i < count; i++)
                {
                    SkipCore(depth + 1);
                }

                return;
            }

            default:
                throw UnexpectedType(code, "a value");
        }
    }

    private void EnterContainer(int depth)
    {
        if (depth > _options.MaxDepth)
        {
            throw Fail(MessagePackDecodeError.DepthExceeded, $"nesting deeper than MaxDepth ({_options.MaxDepth})");
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Fail(MessagePackDecodeError.DepthExceeded, $"nesting depth {depth} would exhaust the stack");
        }
    }

    private MessagePackTimestamp ReadTimestampBody(uint length)
    {
        long seconds;
        uint nanoseconds;
        switch (length)
        {
            case 4:
                seconds = ReadBigEndianUInt32();
                nanoseconds = 0;
                break;
            case 8:
                ulong packed = ReadBigEndianUInt64();
                nanoseconds = (uint)(packed >> 34);
                seconds = (long)(packed & 0x3_FFFF_FFFFUL);
                break;
            case 12:
                nanoseconds = ReadBigEndianUInt32();
                seconds = unchecked((long)ReadBigEndianUInt64());
                break;
            default:
                throw Fail(MessagePackDecodeError.InvalidTimestamp, $"timestamp data must be 4, 8 or 12 bytes, found {length}");
        }

        if (nanoseconds > MessagePackTimestamp.MaxNanoseconds)
        {
            throw Fail(MessagePackDecodeError.InvalidTimestamp, $"timestamp nanoseconds {nanoseconds} exceed 999999999");
        }

        return new MessagePackTimestamp(seconds, nanoseconds);
    }

    private long ReadRanged(long min, long max, string typeName)
    {
        long value = ReadIntegerFromCode(ReadCode(), "integer", out bool aboveInt64);
        if (aboveInt64 || value < min || value > max)
        {
            string text = aboveInt64 ? unchecked((ulong)value).ToString(System.Globalization.CultureInfo.InvariantCulture) : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw Fail(MessagePackDecodeError.IntegerOverflow, $"{text} does not fit {typeName}");
        }

        return value;
    }

    /// <summary>Decodes an integer whose first byte has been read. A uint 64 above long.MaxValue is returned bit-cast with the flag set.</summary>
    private long ReadIntegerFromCode(byte code, string expected, out bool aboveInt64)
    {
        aboveInt64 = false;
        if (code <= MessagePackCode.MaxFixInt)
        {
            return code;
        }

        if (code >= MessagePackCode.MinNegativeFixInt)
        {
            return unchecked((sbyte)code);
        }

        switch (code)
        {
            case MessagePackCode.UInt8:
                return ReadOneByte();
            case MessagePackCode.UInt16:
                return ReadBigEndianUInt16();
            case MessagePackCode.UInt32:
                return ReadBigEndianUInt32();
            case MessagePackCode.UInt64:
                ulong u = ReadBigEndianUInt64();
                aboveInt64 = u > long.MaxValue;
                return unchecked((long)u);
            case MessagePackCode.Int8:
                return unchecked((sbyte)ReadOneByte());
            case MessagePackCode.Int16:
                return unchecked((short)ReadBigEndianUInt16());
            case MessagePackCode.Int32:
                return unchecked((int)ReadBigEndianUInt32());
            case MessagePackCode.Int64:
                return unchecked((long)ReadBigEndianUInt64());
            default:
                throw UnexpectedType(code, expected);
        }
    }

    private int StringLengthFromCode(byte code)
    {
        long length;
        if (code >= MessagePackCode.MinFixStr && code <= MessagePackCode.MaxFixStr)
        {
            length = code & 0x1f;
        }
        else
        {
            length = code switch
            {
                MessagePackCode.Str8 => ReadOneByte(),
                MessagePackCode.Str16 => ReadBigEndianUInt16(),
                MessagePackCode.Str32 => ReadBigEndianUInt32(),
                _ => throw UnexpectedType(code, "string"),
            };
        }

        return CheckLength(length, _options.MaxStringLength, "string", nameof(MessagePackReaderOptions.MaxStringLength));
    }

    private int BinaryLengthFromCode(byte code)
    {
        long length = code switch
        {
            MessagePackCode.Bin8 => ReadOneByte(),
            MessagePackCode.Bin16 => ReadBigEndianUInt16(),
            MessagePackCode.Bin32 => ReadBigEndianUInt32(),
            _ => throw UnexpectedType(code, "binary"),
        };
        return CheckLength(length, _options.MaxBinaryLength, "binary", nameof(MessagePackReaderOptions.MaxBinaryLength));
    }

    private ExtensionHeader ExtensionHeaderFromCode(byte code)
    {
        long length;
        switch (code)
        {
            case MessagePackCode.FixExt1:
                length = 1;
                break;
            case MessagePackCode.FixExt2:
                length = 2;
                break;
            case MessagePackCode.FixExt4:
                length = 4;
                break;
            case MessagePackCode.FixExt8:
                length = 8;
                break;
            case MessagePackCode.FixExt16:
                length = 16;
                break;
            case MessagePackCode.Ext8:
                length = ReadOneByte();
                break;
            case MessagePackCode.Ext16:
                length = ReadBigEndianUInt16();
                break;
            case MessagePackCode.Ext32:
                length = ReadBigEndianUInt32();
                break;
            default:
                throw UnexpectedType(code, "extension");
        }

        sbyte typeCode = unchecked((sbyte)ReadOneByte());
        int checkedLength = CheckLength(length, _options.MaxBinaryLength, "extension", nameof(MessagePackReaderOptions.MaxBinaryLength));
        return new ExtensionHeader(typeCode, (uint)checkedLength);
    }

    private int ArrayCountFromCode(byte code)
    {
        long count;
        if (code >= MessagePackCode.MinFixArray && code <= MessagePackCode.MaxFixArray)
        {
            count = code & 0x0f;
        }
        else
        {
            count = code switch
            {
                MessagePackCode.Array16 => ReadBigEndianUInt16(),
                MessagePackCode.Array32 => ReadBigEndianUInt32(),
                _ => throw UnexpectedType(code, "array"),
            };
        }

        return CheckCount(count, 1, "array");
    }

    private int MapCountFromCode(byte code)
    {
        long count;
        if (code >= MessagePackCode.MinFixMap && code <= MessagePackCode.MaxFixMap)
        {
            count = code & 0x0f;
        }
        else
        {
            count = code switch
            {
                MessagePackCode.Map16 => ReadBigEndianUInt16(),
                MessagePackCode.Map32 => ReadBigEndianUInt32(),
                _ => throw UnexpectedType(code, "map"),
            };
        }

        return CheckCount(count, 2, "map");
    }

    private readonly int CheckLength(long length, int limit, string what, string optionName)
    {
        if (length > limit)
        {
            throw Fail(MessagePackDecodeError.LengthLimitExceeded, $"{what} of {length} bytes exceeds {optionName} ({limit})");
        }

        return (int)length;
    }

    private readonly int CheckCount(long count, int minimumBytesPerElement, string what)
    {
        if (count > _options.MaxCollectionLength)
        {
            throw Fail(MessagePackDecodeError.LengthLimitExceeded, $"{what} of {count} elements exceeds MaxCollectionLength ({_options.MaxCollectionLength})");
        }

        if (count * minimumBytesPerElement > Remaining)
        {
            throw Fail(MessagePackDecodeError.Truncated, $"{what} claims {count} elements but only {Remaining} bytes remain");
        }

        return (int)count;
    }

    private readonly void ValidateUtf8(in ReadOnlySequence<byte> slice)
    {
        if (slice.IsSingleSegment)
        {
            if (!Utf8.IsValid(slice.FirstSpan))
            {
                throw Fail(MessagePackDecodeError.InvalidUtf8, "string is not valid UTF-8");
            }

            return;
        }

        int length = (int)slice.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            slice.CopyTo(rented);
            if (!Utf8.IsValid(rented.AsSpan(0, length)))
            {
                throw Fail(MessagePackDecodeError.InvalidUtf8, "string is not valid UTF-8");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Checks that <paramref name="count"/> more bytes exist and may be consumed.</summary>
    private readonly void Require(long count)
    {
        long remaining = Remaining;
        if (count > remaining)
        {
            throw Fail(MessagePackDecodeError.Truncated, $"needs {count} more bytes, only {remaining} remain");
        }

        if (Consumed + count > _options.MaxTotalBytes)
        {
            throw Fail(MessagePackDecodeError.TotalBytesExceeded, $"reading would exceed MaxTotalBytes ({_options.MaxTotalBytes})");
        }
    }

    private byte ReadCode()
    {
        _tokenStart = Consumed;
        return ReadOneByte();
    }

    private byte ReadOneByte()
    {
        Require(1);
        if (_single)
        {
            return _span[_position++];
        }

        _multi.TryRead(out byte value);
        return value;
    }

    private ushort ReadBigEndianUInt16()
    {
        Require(2);
        if (_single)
        {
            ushort value = BinaryPrimitives.ReadUInt16BigEndian(_span.Slice(_position, 2));
            _position += 2;
            return value;
        }

        _multi.TryReadBigEndian(out short result);
        return unchecked((ushort)result);
    }

    private uint ReadBigEndianUInt32()
    {
        Require(4);
        if (_single)
        {
            uint value = BinaryPrimitives.ReadUInt32BigEndian(_span.Slice(_position, 4));
            _position += 4;
            return value;
        }

        _multi.TryReadBigEndian(out int result);
        return unchecked((uint)result);
    }

    private ulong ReadBigEndianUInt64()
    {
        Require(8);
        if (_single)
        {
            ulong value = BinaryPrimitives.ReadUInt64BigEndian(_span.Slice(_position, 8));
            _position += 8;
            return value;
        }

        _multi.TryReadBigEndian(out long result);
        return unchecked((ulong)result);
    }

    private ReadOnlySequence<byte> ReadSlice(long length)
    {
        Require(length);
        if (_single)
        {
            var slice = _sequence.Slice(_position, length);
            _position += (int)length;
            return slice;
        }

        var multiSlice = _multi.UnreadSequence.Slice(0, length);
        _multi.Advance(length);
        return multiSlice;
    }

    private void AdvanceBytes(long length)
    {
        Require(length);
        if (_single)
        {
            _position += (int)length;
        }
        else
        {
            _multi.Advance(length);
        }
    }

    private readonly MessagePackDecodeException UnexpectedType(byte code, string expected) =>
        code == MessagePackCode.NeverUsed
            ? Fail(MessagePackDecodeError.ReservedCode, "found the reserved byte 0xc1")
            : Fail(MessagePackDecodeError.UnexpectedType, $"expected {expected}, found {MessagePackCode.ToMessagePackType(code)} (0x{code:x2})");

    private readonly MessagePackDecodeException Fail(MessagePackDecodeError error, string reason) => new(error, reason, _tokenStart);
}
