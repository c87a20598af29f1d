using System.Globalization;
using System.Text;

namespace GenCluster.MessagePack;

/// <summary>
/// A small immutable model of any MessagePack value, for tests and diagnostics (see
/// <see cref="MessagePackReader.ReadValue"/> and <see cref="WriteTo"/>). It keeps what the wire distinguishes —
/// float 32 versus float 64, string versus binary, map entry order — so that writing a value read from a
/// smallest-form encoding reproduces the same bytes. Equality is structural; floats compare by bit pattern.
/// </summary>
public sealed class MessagePackValue : IEquatable<MessagePackValue>
{
    private readonly Int128 _integer;
    private readonly double _double;
    private readonly float _single;
    private readonly object? _reference;
    private readonly sbyte _extensionType;
    private readonly MessagePackTimestamp _timestamp;

    private MessagePackValue(
        MessagePackValueKind kind,
        Int128 integer = default,
        double @double = 0,
        float single = 0,
        object? reference = null,
        sbyte extensionType = 0,
        MessagePackTimestamp timestamp = default)
    {
        Kind = kind;
        _integer = integer;
        _double = @double;
        _single = single;
        _reference = reference;
        _extensionType = extensionType;
        _timestamp = timestamp;
    }

    /// <summary>The nil value.</summary>
    public static MessagePackValue Nil { get; } = new(MessagePackValueKind.Nil);

    /// <summary>The value true.</summary>
    public static MessagePackValue True { get; } = new(MessagePackValueKind.Boolean, integer: 1);

    /// <summary>The value false.</summary>
    public static MessagePackValue False { get; } = new(MessagePackValueKind.Boolean, integer: 0);

    /// <summary>The kind of this value.</summary>
    public MessagePackValueKind Kind { get; }

    /// <summary>The boolean value.</summary>
    /// <exception cref="InvalidOperationException">This is not a boolean.</exception>
    public bool Boolean => Expect(MessagePackValueKind.Boolean)._integer != 0;

    /// <summary>The integer value (covers both int 64 and uint 64 ranges).</summary>
    /// <exception cref="InvalidOperationException">This is not an integer.</exception>
    public Int128 Integer => Expect(MessagePackValueKind.Integer)._integer;

    /// <summary>The float 32 value.</summary>
    /// <exception cref="InvalidOperationException">This is not a float 32.</exception>
    public float Float32 => Expect(MessagePackValueKind.Float32)._single;

    /// <summary>The float 64 value.</summary>
    /// <exception cref="InvalidOperationException">This is not a float 64.</exception>
    public double Float64 => Expect(MessagePackValueKind.Float64)._double;

    /// <summary>The string value.</summary>
    /// <exception cref="InvalidOperationException">This is not a string.</exception>
    public string String => (string)Expect(MessagePackValueKind.String)._reference!;

    /// <summary>The bytes of a binary value.</summary>
    /// <exception cref="InvalidOperationException">This is not a binary value.</exception>
    public ReadOnlyMemory<byte> Binary => (byte[])Expect(MessagePackValueKind.Binary)._reference!;

    /// <summary>The type of an extension value.</summary>
    /// <exception cref="InvalidOperationException">This is not an extension.</exception>
    public sbyte ExtensionType => Expect(MessagePackValueKind.Extension)._extensionType;

    /// <summary>The data of an extension value.</summary>
    /// <exception cref="InvalidOperationException">This is not an extension.</exception>
    public ReadOnlyMemory<byte> ExtensionData => (byte[])Expect(MessagePackValueKind.Extension)._reference!;

    /// <summary>The timestamp value.</summary>
    /// <exception cref="InvalidOperationException">This is not a timestamp.</exception>
    public MessagePackTimestamp Timestamp => Expect(MessagePackValueKind.Timestamp)._timestamp;

    /// <summary>The elements of an array.</summary>
    /// <exception cref="InvalidOperationException">This is not an array.</exception>
    public IReadOnlyList<MessagePackValue> Array => (IReadOnlyList<MessagePackValue>)Expect(MessagePackValueKind.Array)._reference!;

    /// <summary>The entries of a map, in encoded order (duplicate keys are kept).</summary>
    /// <exception cref="InvalidOperationException">This is not a map.</exception>
    public IReadOnlyList<KeyValuePair<MessagePackValue, MessagePackValue>> Map =>
        (IReadOnlyList<KeyValuePair<MessagePackValue, MessagePackValue>>)Expect(MessagePackValueKind.Map)._reference!;

    /// <summary>Creates a boolean.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The shared true or false instance.</returns>
    public static MessagePackValue FromBoolean(bool value) => value ? True : False;

    /// <summary>Creates an integer.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static MessagePackValue FromInteger(long value) => new(MessagePackValueKind.Integer, integer: value);

    /// <summary>Creates an integer.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static MessagePackValue FromInteger(ulong value) => new(MessagePackValueKind.Integer, integer: value);

    /// <summary>Creates a float 32.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static MessagePackValue FromFloat32(float value) => new(MessagePackValueKind.Float32, single: value);

    /// <summary>Creates a float 64.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static MessagePackValue FromFloat64(double value) => new(MessagePackValueKind.Float64, @double: value);

    /// <summary>Creates a string.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static MessagePackValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(MessagePackValueKind.String, reference: value);
    }

    /// <summary>Creates a binary value that takes ownership of <paramref name="value"/> (do not mutate it afterwards).</summary>
    /// <param name="value">The bytes.</param>
    /// <returns>The value.</returns>
    public static MessagePackValue FromBinary(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(MessagePackValueKind.Binary, reference: value);
    }

    /// <summary>Creates an extension value that takes ownership of <paramref name="data"/>.</summary>
    /// <param name="typeCode">The extension type (use <see cref="FromTimestamp"/> for timestamps).</param>
    /// <param name="data">The data.</param>
    /// <returns>The value.</returns>
    public static MessagePackValue FromExtension(sbyte typeCode, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new(MessagePackValueKind.Extension, reference: data, extensionType: typeCode);
    }

    /// <summary>Creates a timestamp.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value.</returns>
    public static MessagePackValue FromTimestamp(MessagePackTimestamp value) => new(MessagePackValueKind.Timestamp, timestamp: value);

    /// <summary>Creates an array.</summary>
    /// <param name="items">The elements (the list is kept, not copied).</param>
    /// <returns>The value.</returns>
    public static MessagePackValue FromArray(IReadOnlyList<MessagePackValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new(MessagePackValueKind.Array, reference: items);
    }

    /// <summary>Creates an array.</summary>
    /// <param name="items">The elements.</param>
    /// <returns>The value.</returns>
    public static MessagePackValue FromArray(params MessagePackValue[] items) => FromArray((IReadOnlyList<MessagePackValue>)items);

    /// <summary>Creates a map.</summary>
    /// <param name="entries">The entries in order (the list is kept, not copied).</param>
    /// <returns>The value.</returns>
    public static MessagePackValue FromMap(IReadOnlyList<KeyValuePair<MessagePackValue, MessagePackValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return new(MessagePackValueKind.Map, reference: entries);
    }

    /// <summary>Writes this value (recursively) with the smallest encodings.</summary>
    /// <param name="writer">The writer.</param>
    public void WriteTo(ref MessagePackWriter writer)
    {
        switch (Kind)
        {
            case MessagePackValueKind.Nil:
                writer.WriteNil();
                break;
            case MessagePackValueKind.Boolean:
                writer.Write(_integer != 0);
                break;
            case MessagePackValueKind.Integer:
                if (_integer < 0)
                {
                    writer.Write((long)_integer);
                }
                else
                {
                    writer.Write((ulong)_integer);
                }

                break;
            case MessagePackValueKind.Float32:
                writer.Write(_single);
                break;
            case MessagePackValueKind.Float64:
                writer.Write(_double);
                break;
            case MessagePackValueKind.String:
                writer.WriteString((string)_reference!);
                break;
            case MessagePackValueKind.Binary:
                writer.WriteBinary((byte[])_reference!);
                break;
            case MessagePackValueKind.Extension:
                writer.WriteExtension(_extensionType, (byte[])_reference!);
                break;
            case MessagePackValueKind.Timestamp:
                writer.WriteTimestamp(_timestamp);
                break;
            case MessagePackValueKind.Array:
                var items = Array;
                writer.WriteArrayHeader(items.Count);
                foreach (var item in items)
                {
                    item.WriteTo(ref writer);
                }

                break;
            case MessagePackValueKind.Map:
                var entries = Map;
                writer.WriteMapHeader(entries.Count);
                foreach (var entry in entries)
                {
                    entry.Key.WriteTo(ref writer);
                    entry.Value.WriteTo(ref writer);
                }

                break;
        }
    }

    /// <inheritdoc />
    public bool Equals(MessagePackValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        switch (Kind)
        {
            case MessagePackValueKind.Nil:
                return true;
            case MessagePackValueKind.Boolean:
            case MessagePackValueKind.Integer:
                return _integer == other._integer;
            case MessagePackValueKind.Float32:
                return BitConverter.SingleToInt32Bits(_single) == BitConverter.SingleToInt32Bits(other._single);
            case MessagePackValueKind.Float64:
                return BitConverter.DoubleToInt64Bits(_double) == BitConverter.DoubleToInt64Bits(other._double);
            case MessagePackValueKind.String:
                return string.Equals((string)_reference!, (string)other._reference!, StringComparison.Ordinal);
            case MessagePackValueKind.Binary:
                return ((byte[])_reference!).AsSpan().SequenceEqual((byte[])other._reference!);
            case MessagePackValueKind.Extension:
                return _extensionType == other._extensionType && ((byte[])_reference!).AsSpan().SequenceEqual((byte[])other._reference!);
            case MessagePackValueKind.Timestamp:
                return _timestamp == other._timestamp;
            case MessagePackValueKind.Array:
                var items = Array;
                var otherItems = other.Array;
                if (items.Count != otherItems.Count)
                {
                    return false;
                }

                for (int i = 0; i < items.Count; i++)
                {
                    if (!items[i].Equals(otherItems[i]))
                    {
                        return false;
                    }
                }

                return true;
            case MessagePackValueKind.Map:
                var entries = Map;
                var otherEntries = other.Map;
                if (entries.Count != otherEntries.Count)
                {
                    return false;
                }

                for (int i = 0; i < entries.Count; i++)
                {
                    if (!entries[i].Key.Equals(otherEntries[i].Key) || !entries[i].Value.Equals(otherEntries[i].Value))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MessagePackValue);

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        MessagePackValueKind.Boolean or MessagePackValueKind.Integer => HashCode.Combine(Kind, _integer),
        MessagePackValueKind.Float32 => HashCode.Combine(Kind, BitConverter.SingleToInt32Bits(_single)),
        MessagePackValueKind.Float64 => HashCode.Combine(Kind, BitConverter.DoubleToInt64Bits(_double)),
        MessagePackValueKind.String => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode((string)_reference!)),
        MessagePackValueKind.Binary or MessagePackValueKind.Extension => HashCode.Combine(Kind, _extensionType, ((byte[])_reference!).Length),
        MessagePackValueKind.Timestamp => HashCode.Combine(Kind, _timestamp),
        MessagePackValueKind.Array => HashCode.Combine(Kind, Array.Count),
        MessagePackValueKind.Map => HashCode.Combine(Kind, Map.Count),
        _ => (int)Kind,
    };

    /// <summary>
    /// A readable, JSON-like rendering for diagnostics: <c>nil</c>, <c>true</c>, <c>42</c>, <c>1.5f</c> (float 32),
    /// <c>1.5</c> (float 64), <c>"text"</c>, <c>bin(0a0b)</c>, <c>ext(5:0a0b)</c>, <c>timestamp(1.000000000)</c>,
    /// <c>[a, b]</c>, <c>{k: v}</c>.
    /// </summary>
    /// <returns>The rendering.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Append(builder);
        return builder.ToString();
    }

    private void Append(StringBuilder builder)
    {
        var culture = CultureInfo.InvariantCulture;
        switch (Kind)
        {
            case MessagePackValueKind.Nil:
                builder.Append("nil");
                break;
            case MessagePackValueKind.Boolean:
                builder.Append(_integer != 0 ? "true" : "false");
                break;
            case MessagePackValueKind.Integer:
                builder.Append(_integer.ToString(culture));
                break;
            case MessagePackValueKind.Float32:
                builder.Append(_single.ToString("R", culture)).Append('f');
                break;
            case MessagePackValueKind.Float64:
                builder.Append(_double.ToString("R", culture));
                break;
            case MessagePackValueKind.String:
                AppendQuoted(builder, (string)_reference!);
                break;
            case MessagePackValueKind.Binary:
                builder.Append("bin(").Append(Convert.ToHexStringLower((byte[])_reference!)).Append(')');
                break;
            case MessagePackValueKind.Extension:
                builder.Append("ext(").Append(_extensionType.ToString(culture)).Append(':')
                    .Append(Convert.ToHexStringLower((byte[])_reference!)).Append(')');
                break;
            case MessagePackValueKind.Timestamp:
                builder.Append("timestamp(").Append(_timestamp.ToString()).Append(')');
                break;
            case MessagePackValueKind.Array:
                builder.Append('[');
                var items = Array;
                for (int i = 0; i < items.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    items[i].Append(builder);
                }

                builder.Append(']');
                break;
            case MessagePackValueKind.Map:
                builder.Append('{');
                var entries = Map;
                for (int i = 0; i < entries.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    entries[i].Key.Append(builder);
                    builder.Append(": ");
                    entries[i].Value.Append(builder);
                }

                builder.Append('}');
                break;
        }
    }

    private static void AppendQuoted(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case < ' ':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        builder.Append('"');
    }

    private MessagePackValue Expect(MessagePackValueKind kind) =>
        Kind == kind ? this : throw new InvalidOperationException($"value is {Kind}, not {kind}");
}
