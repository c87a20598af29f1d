using System.Text;

namespace GenCluster.MessagePack.Tests.Support;

/// <summary>Seeded generator of random <see cref="MessagePackValue"/> trees covering every format family and its boundaries.</summary>
internal sealed class RandomValues
{
    private static readonly long[] IntegerBoundaries =
    [
        0, 1, 127, 128, 255, 256, 65535, 65536, uint.MaxValue, 1L + uint.MaxValue, long.MaxValue,
        -1, -32, -33, -128, -129, -32768, -32769, int.MinValue, int.MinValue - 1L, long.MinValue,
    ];

    private static readonly int[] StringBoundaries = [0, 1, 31, 32, 255, 256];
    private static readonly int[] ExtensionLengths = [0, 1, 2, 3, 4, 5, 8, 12, 16, 17, 255, 256];
    private static readonly int[] LargeLengths = [65535, 65536];

    private readonly Random _random;
    private readonly bool _allowLarge;

    public RandomValues(int seed, bool allowLarge = true)
    {
        _random = new Random(seed);
        _allowLarge = allowLarge;
    }

    public Random Random => _random;

    public MessagePackValue Next(int depth = 0, int maxDepth = 4)
    {
        if (depth < maxDepth && _random.NextDouble() < 0.3)
        {
            return _random.Next(2) == 0 ? NextArray(depth, maxDepth) : NextMap(depth, maxDepth);
        }

        return NextScalar();
    }

    public MessagePackValue NextScalar() => _random.Next(10) switch
    {
        0 => _random.Next(4) == 0 ? MessagePackValue.Nil : MessagePackValue.FromBoolean(_random.Next(2) == 0),
        1 or 2 => NextInteger(),
        3 => NextFloat(),
        4 or 5 => MessagePackValue.FromString(NextString()),
        6 => MessagePackValue.FromBinary(NextBytes(NextLength(StringBoundaries, 40))),
        7 => NextExtension(),
        8 => MessagePackValue.FromTimestamp(NextTimestamp()),
        _ => NextInteger(),
    };

    public MessagePackValue NextInteger()
    {
        switch (_random.Next(4))
        {
            case 0:
                return MessagePackValue.FromInteger(IntegerBoundaries[_random.Next(IntegerBoundaries.Length)]);
            case 1:
                long near = IntegerBoundaries[_random.Next(IntegerBoundaries.Length)];
                long delta = _random.Next(-2, 3);
                long value = unchecked(near + delta);
                // Keep the boundary's side when the delta wrapped around.
                return MessagePackValue.FromInteger((near >= 0) == (value >= 0) ? value : near);
            case 2:
                return MessagePackValue.FromInteger(ulong.MaxValue - (ulong)_random.Next(0, 1000) - (_random.Next(2) == 0 ? 0 : (ulong)_random.NextInt64()));
            default:
                int bits = _random.Next(1, 64);
                long magnitude = _random.NextInt64() >> (63 - bits);
                return MessagePackValue.FromInteger(_random.Next(2) == 0 ? magnitude : -magnitude - 1);
        }
    }

    public MessagePackValue NextFloat()
    {
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, double.MaxValue, double.MinValue, 1.0, -1.5, 0.1];
        double value = _random.Next(4) switch
        {
            0 => specials[_random.Next(specials.Length)],
            1 => BitConverter.Int64BitsToDouble(_random.NextInt64(long.MinValue, long.MaxValue)),
            _ => (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-30, 30)),
        };
        if (_random.Next(2) == 0)
        {
            return MessagePackValue.FromFloat64(value);
        }

        float single = _random.Next(5) == 0 ? BitConverter.Int32BitsToSingle(_random.Next(int.MinValue, int.MaxValue)) : (float)value;
        return MessagePackValue.FromFloat32(single);
    }

    public string NextString()
    {
        int length = NextLength(StringBoundaries, 24);
        if (length > 40 || _random.Next(6) == 0)
        {
            // Exact byte lengths at the format boundaries: ASCII only.
            var ascii = new char[length];
            for (int i = 0; i < length; i++)
            {
                ascii[i] = (char)_random.Next(0x20, 0x7f);
            }

            return new string(ascii);
        }

        var builder = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            int codePoint = _random.Next(6) switch
            {
                0 => _random.Next(0, 0x80),
                1 => _random.Next(0x80, 0x800),
                2 => _random.Next(0x800, 0xd800),
                3 => _random.Next(0xe000, 0x10000),
                4 => _random.Next(0x10000, 0x110000),
                _ => _random.Next(0x20, 0x7f),
            };
            builder.Append(char.ConvertFromUtf32(codePoint));
        }

        return builder.ToString();
    }

    public byte[] NextBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    public MessagePackValue NextExtension()
    {
        sbyte type;
        do
        {
            type = (sbyte)_random.Next(-128, 128);
        }
        while (type == MessagePackCode.TimestampExtensionType);

        int length = NextLength(ExtensionLengths, 20);
        return MessagePackValue.FromExtension(type, NextBytes(length));
    }

    public MessagePackTimestamp NextTimestamp()
    {
        long seconds = _random.Next(6) switch
        {
            0 => _random.NextInt64(0, 1L << 32),
            1 => _random.NextInt64(1L << 32, 1L << 34),
            2 => _random.NextInt64(-(1L << 40), 0),
            3 => _random.NextInt64(1L << 34, long.MaxValue),
            4 => _random.NextInt64(long.MinValue, long.MaxValue),
            _ => new[] { 0L, uint.MaxValue, 1L << 32, (1L << 34) - 1, 1L << 34, -1, long.MinValue, long.MaxValue }[_random.Next(8)],
        };
        uint nanoseconds = _random.Next(3) == 0 ? 0u : (uint)_random.Next(0, 1_000_000_000);
        return new MessagePackTimestamp(seconds, nanoseconds);
    }

    private MessagePackValue NextArray(int depth, int maxDepth)
    {
        int count = _random.Next(8) == 0 ? new[] { 15, 16, 17 }[_random.Next(3)] : _random.Next(0, 6);
        if (_allowLarge && _random.Next(1000) == 0)
        {
            count = _random.Next(2) == 0 ? 65535 : 65536;
            var small = new MessagePackValue[count];
            for (int i = 0; i < count; i++)
            {
                small[i] = MessagePackValue.FromInteger(_random.Next(-40, 300));
            }

            return MessagePackValue.FromArray(small);
        }

        var items = new MessagePackValue[count];
        for (int i = 0; i < count; i++)
        {
            items[i] = Next(depth + 1, maxDepth);
        }

        return MessagePackValue.FromArray(items);
    }

    private MessagePackValue NextMap(int depth, int maxDepth)
    {
        int count = _random.Next(8) == 0 ? new[] { 15, 16, 17 }[_random.Next(3)] : _random.Next(0, 6);
        if (_allowLarge && _random.Next(1000) == 0)
        {
            count = _random.Next(2) == 0 ? 65535 : 65536;
        }

        // Keys are unique scalars that Python can hash without collisions (no bool/float keys: True == 1 there).
        var seen = new HashSet<MessagePackValue>();
        var entries = new List<KeyValuePair<MessagePackValue, MessagePackValue>>(count);
        while (entries.Count < count)
        {
            var key = count > 100
                ? MessagePackValue.FromInteger(entries.Count - 1000)
                : _random.Next(3) switch
                {
                    0 => MessagePackValue.FromString(NextString()),
                    1 => NextInteger(),
                    _ => MessagePackValue.FromBinary(NextBytes(_random.Next(0, 6))),
                };
            if (!seen.Add(key))
            {
                continue;
            }

            var item = count > 100 ? MessagePackValue.FromInteger(_random.Next(0, 1000)) : Next(depth + 1, maxDepth);
            entries.Add(new KeyValuePair<MessagePackValue, MessagePackValue>(key, item));
        }

        return MessagePackValue.FromMap(entries);
    }

    /// <summary>Mostly short; sometimes a format boundary; rarely a 16/32-bit-length boundary (64 KiB).</summary>
    private int NextLength(int[] boundaries, int smallMax)
    {
        int k = _random.Next(200);
        if (k == 0 && _allowLarge)
        {
            return LargeLengths[_random.Next(LargeLengths.Length)];
        }

        return k < 20 ? boundaries[_random.Next(boundaries.Length)] : _random.Next(0, smallMax);
    }
}
