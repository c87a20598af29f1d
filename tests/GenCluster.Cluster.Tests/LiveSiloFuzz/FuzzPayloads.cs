using System.Buffers;
using System.Buffers.Binary;
using GenCluster.MessagePack;

namespace GenCluster.Cluster.Tests.LiveSiloFuzz;

/// <summary>
/// Hostile frame payloads for a live silo: random MessagePack values, deep nesting, huge claimed lengths, bad
/// extensions, truncations, and byte- and field-level mutations of well-formed runtime messages. Not thread-safe:
/// each worker owns one, seeded from the run's seed so a failure can be replayed.
/// </summary>
internal sealed class FuzzPayloads
{
    /// <summary>Message kinds of the runtime's envelope (Messaging/MessageKind.cs, internal there).</summary>
    public const int RequestKind = 1;
    public const int CancelKind = 7;
    public const int PingKind = 8;
    public const int PongKind = 9;

    private const int FieldCount = 14;

    // Codes that change how a decoder reads what follows: reserved, containers and sized types with large widths.
    private static readonly byte[] s_interestingCodes =
        [0xc1, 0xc0, 0xdd, 0xdf, 0xdb, 0xc6, 0xc9, 0xc7, 0xc8, 0xd4, 0xd8, 0xdc, 0xde, 0xda, 0xcf, 0xd3, 0xff, 0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf];

    private readonly Random _random;
    private readonly IReadOnlyList<IReadOnlyList<byte[]>> _templates;

    /// <param name="seed">Seed of this generator.</param>
    /// <param name="templates">Well-formed messages, each as its 14 encoded fields, to mutate.</param>
    public FuzzPayloads(int seed, IReadOnlyList<IReadOnlyList<byte[]>> templates)
    {
        _random = new Random(seed);
        _templates = templates;
    }

    private delegate void ValueWriter(ref MessagePackWriter writer);

    /// <summary>The next hostile payload (never empty: a frame carries at least one byte).</summary>
    public byte[] Next()
    {
        var payload = _random.Next(100) switch
        {
            < 30 => MutateBytes(Compose(Template())),
            < 38 => Truncate(Compose(Template())),
            < 55 => MutateField(),
            < 63 => RandomValue(),
            < 68 => DeepNesting(),
            < 76 => HugeClaimedLength(),
            < 84 => BadExtension(),
            < 92 => RandomBytes(),
            _ => [.. Compose(Template()), .. RandomBytes(8)],
        };
        return payload.Length == 0 ? [0xc1] : payload;
    }

    /// <summary>A hostile payload that is also plausible as a handshake frame (at most <paramref name="maxLength"/> bytes).</summary>
    public byte[] NextSmall(int maxLength)
    {
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var payload = Next();
            if (payload.Length <= maxLength)
            {
                return payload;
            }
        }

        return RandomBytes(maxLength);
    }

    /// <summary>Random bytes, 1 to <paramref name="maxLength"/> of them.</summary>
    public byte[] RandomBytes(int maxLength = 256)
    {
        var bytes = new byte[_random.Next(1, maxLength + 1)];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Applies 1 to 4 byte-level mutations (set, flip, interesting code, insert, delete, duplicate).</summary>
    public byte[] MutateBytes(byte[] source)
    {
        var bytes = new List<byte>(source);
        var operations = _random.Next(1, 5);
        for (var i = 0; i < operations && bytes.Count > 0; i++)
        {
            var at = _random.Next(bytes.Count);
            switch (_random.Next(6))
            {
                case 0: bytes[at] = (byte)_random.Next(256); break;
                case 1: bytes[at] ^= (byte)(1 << _random.Next(8)); break;
                case 2: bytes[at] = s_interestingCodes[_random.Next(s_interestingCodes.Length)]; break;
                case 3: bytes.Insert(at, (byte)_random.Next(256)); break;
                case 4: bytes.RemoveAt(at); break;
                default:
                    var length = Math.Min(_random.Next(1, 16), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Encodes a message of the runtime's envelope layout as its 14 fields (MessageCodec.cs documents it).</summary>
    public static byte[][] MessageFields(int kind, long id, (string Type, string Key)? target = null, uint interfaceId = 0, uint methodId = 0,
        long? timeToLiveMs = null, IReadOnlyDictionary<string, string>? headers = null, byte[]? body = null) =>
    [
        Encode((ref MessagePackWriter w) => w.Write(1)),
        Encode((ref MessagePackWriter w) => w.Write(kind)),
        Encode((ref MessagePackWriter w) => w.Write(id)),
        Encode((ref MessagePackWriter w) =>
        {
            if (target is { } t)
            {
                w.WriteArrayHeader(2);
                w.WriteString(t.Type);
                w.WriteString(t.Key);
            }
            else
            {
                w.WriteNil();
            }
        }),
        Encode((ref MessagePackWriter w) => w.Write(interfaceId)),
        Encode((ref MessagePackWriter w) => w.Write(methodId)),
        Nil(), // sending silo
        Nil(), // sending client
        Nil(), // target silo
        Encode((ref MessagePackWriter w) =>
        {
            if (timeToLiveMs is { } ttl)
            {
                w.Write(ttl);
            }
            else
            {
                w.WriteNil();
            }
        }),
        Encode((ref MessagePackWriter w) => w.Write(0)), // no rejection
        Nil(), // redirect
        Encode((ref MessagePackWriter w) =>
        {
            if (headers is { Count: > 0 })
            {
                w.WriteMapHeader(headers.Count);
                foreach (var (key, value) in headers)
                {
                    w.WriteString(key);
                    w.WriteString(value);
                }
            }
            else
            {
                w.WriteNil();
            }
        }),
        Encode((ref MessagePackWriter w) =>
        {
            if (body is { Length: > 0 })
            {
                w.WriteBinary(body);
            }
            else
            {
                w.WriteNil();
            }
        }),
    ];

    /// <summary>A ping from a client: the gateway answers it with a pong carrying the same id.</summary>
    public static byte[] Ping(long id) => Compose(MessageFields(PingKind, id));

    /// <summary>The fields as one message array (with its own count, which need not match).</summary>
    public static byte[] Compose(IReadOnlyList<byte[]> fields, long? declaredCount = null)
    {
        var header = Encode((ref MessagePackWriter w) => w.WriteArrayHeader((uint)(declaredCount ?? fields.Count)));
        return [.. header, .. fields.SelectMany(f => f)];
    }

    /// <summary>Reads <c>[version, kind, id, ...]</c> of a reply; false when the payload is not shaped like a message.</summary>
    public static bool TryReadKindAndId(in ReadOnlySequence<byte> payload, out int kind, out long id)
    {
        kind = 0;
        id = 0;
        try
        {
            var reader = new MessagePackReader(payload);
            if (reader.ReadArrayHeader() < 3)
            {
                return false;
            }

            reader.ReadInt32();
            kind = reader.ReadInt32();
            id = reader.ReadInt64();
            return true;
        }
        catch (MessagePackDecodeException)
        {
            return false;
        }
    }

    private IReadOnlyList<byte[]> Template() => _templates[_random.Next(_templates.Count)];

    private byte[] Truncate(byte[] bytes) => bytes.Length < 2 ? bytes : bytes[.._random.Next(1, bytes.Length)];

    /// <summary>A well-formed message with one field replaced by a hostile value, or with a lying field count.</summary>
    private byte[] MutateField()
    {
        var fields = Template().ToList();
        switch (_random.Next(5))
        {
            case 0:
                // Too few, many more, or absurdly many fields claimed.
                long[] counts = [0, 1, 13, 15, 16, 1000, 65535, 65536, uint.MaxValue];
                return Compose(fields, counts[_random.Next(counts.Length)]);
            case 1:
                // Extra trailing fields (a newer sender) with hostile contents.
                fields.Add(HostileValue());
                return Compose(fields);
            default:
                fields[_random.Next(FieldCount)] = HostileValue();
                return Compose(fields);
        }
    }

    /// <summary>A value of a wrong type or at a boundary, for one field of a message.</summary>
    private byte[] HostileValue() => _random.Next(30) switch
    {
        0 => Nil(),
        1 => Encode((ref MessagePackWriter w) => w.Write(true)),
        2 => Encode((ref MessagePackWriter w) => w.Write(-1)),
        3 => Encode((ref MessagePackWriter w) => w.Write(int.MaxValue + 1L)),
        4 => Encode((ref MessagePackWriter w) => w.Write(long.MinValue)),
        5 => Encode((ref MessagePackWriter w) => w.Write(ulong.MaxValue)),
        6 => Encode((ref MessagePackWriter w) => w.Write(_random.Next(-3, 12))),
        7 => Encode((ref MessagePackWriter w) => w.WriteString(string.Empty)),
        8 => Encode((ref MessagePackWriter w) => w.WriteString(new string('x', _random.Next(1, 5000)))),
        9 => Encode((ref MessagePackWriter w) => w.WriteString("127.0.0.1:99999@1")),
        10 => Encode((ref MessagePackWriter w) => w.WriteString("a:b@c")),
        11 => Encode((ref MessagePackWriter w) => w.WriteString(":@")),
        12 => Encode((ref MessagePackWriter w) => w.WriteString("127.0.0.1:1@-1")),
        13 => Encode((ref MessagePackWriter w) => w.WriteArrayHeader(0)),
        14 => Encode((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.WriteString(string.Empty);
            w.WriteString(string.Empty);
        }),
        15 => Encode((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.WriteNil();
            w.WriteNil();
        }),
        16 => Encode((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.WriteString("sys.directory");
            w.WriteString("x");
        }),
        17 => Encode((ref MessagePackWriter w) =>
        {
            // One header more than a message may carry.
            w.WriteMapHeader(65);
            for (var i = 0; i < 65; i++)
            {
                w.WriteString($"h{i}");
                w.WriteString("v");
            }
        }),
        18 => Encode((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(1);
            w.Write(1);
            w.Write(2);
        }),
        19 => Encode((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(2);
            w.WriteString("dup");
            w.WriteString("a");
            w.WriteString("dup");
            w.WriteString("b");
        }),
        20 => Encode((ref MessagePackWriter w) => w.WriteBinary(ReadOnlySpan<byte>.Empty)),
        21 => Encode((ref MessagePackWriter w) => w.Write(double.NaN)),
        22 => Encode((ref MessagePackWriter w) => w.Write(1.5f)),
        23 => [0xa3, 0xff, 0xfe, 0xfd], // a string that is not UTF-8
        24 => BadExtension(),
        25 => HugeClaimedLength(),
        26 => DeepNesting(),
        27 => [0xc1],
        _ => RandomValue(),
    };

    /// <summary>A random value tree over every MessagePack type, a few levels deep.</summary>
    private byte[] RandomValue()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        var budget = 64;
        WriteRandomValue(ref writer, 0, ref budget);
        return buffer.WrittenSpan.ToArray();
    }

    private void WriteRandomValue(ref MessagePackWriter writer, int depth, ref int budget)
    {
        budget--;
        var container = depth < 6 && budget > 0;
        switch (_random.Next(container ? 16 : 13))
        {
            case 0: writer.WriteNil(); break;
            case 1: writer.Write(_random.Next(2) == 0); break;
            case 2: writer.Write((long)_random.NextInt64(long.MinValue, long.MaxValue)); break;
            case 3: writer.Write((ulong)_random.NextInt64() * 2); break;
            case 4: writer.Write(_random.Next(-40, 300)); break;
            case 5: writer.Write(_random.NextDouble() * 1e300); break;
            case 6: writer.Write((float)_random.NextDouble()); break;
            case 7: writer.WriteString(new string((char)_random.Next(32, 0xd7ff), _random.Next(0, 70000 >> _random.Next(4, 17)))); break;
            case 8:
                var bytes = new byte[_random.Next(0, 300)];
                _random.NextBytes(bytes);
                writer.WriteBinary(bytes);
                break;
            case 9:
                var data = new byte[_random.Next(0, 20)];
                _random.NextBytes(data);
                writer.WriteExtension((sbyte)_random.Next(-128, 128), data);
                break;
            case 10: writer.WriteTimestamp(DateTime.UnixEpoch.AddSeconds(_random.Next())); break;
            case 11: writer.WriteRaw(BadExtension()); break;
            case 12: writer.WriteRaw([s_interestingCodes[_random.Next(s_interestingCodes.Length)]]); break;
            case 13:
            case 14:
                var items = _random.Next(0, 6);
                writer.WriteArrayHeader(items);
                for (var i = 0; i < items; i++)
                {
                    WriteRandomValue(ref writer, depth + 1, ref budget);
                }

                break;
            default:
                var entries = _random.Next(0, 4);
                writer.WriteMapHeader(entries);
                for (var i = 0; i < entries * 2; i++)
                {
                    WriteRandomValue(ref writer, depth + 1, ref budget);
                }

                break;
        }
    }

    /// <summary>Hundreds to 100,000 levels of nested arrays and maps, closed or left open.</summary>
    private byte[] DeepNesting()
    {
        int[] depths = [100, 1000, 10_000, 10_000, 100_000];
        var depth = depths[_random.Next(depths.Length)];
        var kind = _random.Next(4);
        var bytes = new List<byte>(depth * 5 + 1);
        for (var i = 0; i < depth; i++)
        {
            switch (kind == 3 ? _random.Next(3) : kind)
            {
                case 0: bytes.Add(0x91); break;                          // fixarray of 1
                case 1: bytes.AddRange([0x81, 0xc0]); break;            // fixmap {nil: ...}
                default: bytes.AddRange([0xdd, 0, 0, 0, 1]); break;     // array32 of 1
            }
        }

        if (_random.Next(2) == 0)
        {
            bytes.Add(0xc0);
        }

        // Sometimes as the first field of an otherwise plausible message.
        return _random.Next(3) == 0 ? [0x9e, .. bytes] : [.. bytes];
    }

    /// <summary>A string, binary, container or extension that claims far more than the frame holds.</summary>
    private byte[] HugeClaimedLength()
    {
        uint[] lengths = [uint.MaxValue, int.MaxValue, 0x8000_0000, 1 << 30, 16 * 1024 * 1024 + 1, 65535];
        var length = lengths[_random.Next(lengths.Length)];
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), length);
        header[0] = _random.Next(5) switch
        {
            0 => 0xdb, // str32
            1 => 0xc6, // bin32
            2 => 0xdd, // array32
            3 => 0xdf, // map32
            _ => 0xc9, // ext32 (its type byte follows the length)
        };

        byte[] extensionType = header[0] == 0xc9 ? [(byte)_random.Next(256)] : [];
        byte[] value = [.. header, .. extensionType, .. RandomBytes(32)];
        if (_random.Next(2) == 0)
        {
            return value;
        }

        // Inside a message, in place of one of its fields.
        var fields = Template().ToList();
        fields[_random.Next(FieldCount)] = value;
        return Compose(fields);
    }

    /// <summary>Extensions with wrong lengths for their code, truncated data, or invalid timestamps.</summary>
    private byte[] BadExtension()
    {
        var type = _random.Next(3) == 0 ? (byte)0xff : (byte)_random.Next(256); // -1 is the timestamp type
        byte[] value = _random.Next(6) switch
        {
            0 => [0xd4, type],                                            // fixext 1 without its byte
            1 => [0xd6, type, 1, 2],                                      // fixext 4 with 2 bytes
            2 => [0xd8, type, .. RandomBytes(15)],                        // fixext 16, short
            3 => [0xc7, (byte)_random.Next(256), type, .. RandomBytes(8)], // ext 8 claiming up to 255
            4 => [0xc7, (byte)new[] { 0, 1, 3, 5, 7, 9, 11, 13 }[_random.Next(8)], 0xff, .. new byte[13]], // timestamp of a bad size
            _ => [0xc8, 0xff, 0xff, type, .. RandomBytes(16)],            // ext 16 claiming 65535
        };

        if (_random.Next(2) == 0)
        {
            return value;
        }

        var fields = Template().ToList();
        fields[_random.Next(FieldCount)] = value;
        return Compose(fields);
    }

    private static byte[] Nil() => [0xc0];

    private static byte[] Encode(ValueWriter write)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        return buffer.WrittenSpan.ToArray();
    }
}
