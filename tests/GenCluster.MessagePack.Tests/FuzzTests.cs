using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using GenCluster.MessagePack.Tests.Support;
using Xunit.Abstractions;

namespace GenCluster.MessagePack.Tests;

/// <summary>
/// Random and mutated inputs (fixed seed): every input either decodes or raises <see cref="MessagePackDecodeException"/>;
/// any other exception fails. Decoding is also checked for consistency: contiguous and segmented input give the same
/// outcome, Skip agrees with ReadValue, and whatever decodes re-encodes to a value that decodes equal.
/// </summary>
public class FuzzTests
{
    private const int Inputs = 100_000;
    private const int Seed = 0x5eed;

    private static readonly byte[] Interesting =
    [
        0xc1, 0xc0, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
        0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf,
        0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xe0, 0xff, 0xfe, 0x01,
    ];

    private static readonly byte[][] OversizedHeaders =
    [
        [0xdd, 0xff, 0xff, 0xff, 0xff], [0xdf, 0xff, 0xff, 0xff, 0xff], [0xdc, 0xff, 0xff], [0xde, 0xff, 0xff],
        [0xdd, 0x7f, 0xff, 0xff, 0xff], [0xdf, 0x00, 0x10, 0x00, 0x00], [0xdb, 0xff, 0xff, 0xff, 0xff],
        [0xda, 0xff, 0xff], [0xd9, 0xff], [0xc6, 0xff, 0xff, 0xff, 0xff], [0xc6, 0x7f, 0xff, 0xff, 0xff],
        [0xc5, 0xff, 0xff], [0xc9, 0xff, 0xff, 0xff, 0xff, 0x01], [0xc9, 0x7f, 0xff, 0xff, 0xff, 0xff],
        [0xc8, 0xff, 0xff, 0xff], [0xc7, 0xff, 0xff], [0xd8, 0xff], [0xc7, 0x0c, 0xff],
    ];

    private static readonly MessagePackReaderOptions Tight = new()
    {
        MaxDepth = 6,
        MaxStringLength = 24,
        MaxBinaryLength = 24,
        MaxCollectionLength = 12,
        MaxTotalBytes = 200,
    };

    private static readonly MessagePackReaderOptions Unlimited = new()
    {
        MaxDepth = int.MaxValue,
        MaxStringLength = int.MaxValue,
        MaxBinaryLength = int.MaxValue,
        MaxCollectionLength = int.MaxValue,
        MaxTotalBytes = long.MaxValue,
    };

    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Random_and_mutated_inputs_only_ever_raise_decode_exceptions()
    {
        var stopwatch = Stopwatch.StartNew();
        var random = new Random(Seed);
        var corpus = BuildCorpus();
        var failures = new List<string>();
        var stats = new Dictionary<string, int>();
        int decoded = 0, rejected = 0, segmentedChecks = 0, frameRuns = 0, frames = 0;

        for (int i = 0; i < Inputs && failures.Count < 5; i++)
        {
            var (kind, input) = Mutate(random, corpus);
            var options = (i % 10) switch
            {
                0 => Tight,
                1 => Unlimited,
                _ => MessagePackReaderOptions.Default,
            };
            try
            {
                var outcome = Decode(new ReadOnlySequence<byte>(input), options);
                if (outcome.Error is null)
                {
                    decoded++;
                    CheckDecodedConsistency(input, options, outcome);
                }
                else
                {
                    rejected++;
                }

                if (i % 3 == 0)
                {
                    segmentedChecks++;
                    var segmented = Decode(Segmented.SplitRandomly(input, random, input.Length > 1000 ? 64 : 8), options);
                    if (!outcome.SameAs(segmented))
                    {
                        failures.Add($"[{kind}] contiguous {outcome} but segmented {segmented}: {Hex(input)}");
                    }
                }

                TypedReads(input, options);
                frameRuns += 2;
                frames += Frames(input, random, options);
                frames += Frames(Framed(input, random), random, options);
                stats[kind] = stats.GetValueOrDefault(kind) + 1;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                failures.Add($"[{kind}] {e.GetType().Name}: {e.Message}\n  input {Hex(input)}\n{e.StackTrace}");
            }
        }

        stopwatch.Stop();
        _output.WriteLine($"{Inputs} inputs (seed 0x{Seed:x}) in {stopwatch.Elapsed.TotalSeconds:F1} s: {decoded} decoded, {rejected} rejected with MessagePackDecodeException; " +
            $"{segmentedChecks} segmented re-checks; {frameRuns} FrameReader runs yielding {frames} frames");
        _output.WriteLine(string.Join(", ", stats.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")));
        failures.Should().BeEmpty();
        decoded.Should().BeGreaterThan(Inputs / 20, "the fuzzer must also exercise successful decoding");
        rejected.Should().BeGreaterThan(Inputs / 4);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    private static List<byte[]> BuildCorpus()
    {
        var corpus = new List<byte[]>();
        var values = new RandomValues(Seed, allowLarge: false);
        for (int i = 0; i < 500; i++)
        {
            corpus.Add(Bytes.Encode(values.Next(maxDepth: 5)));
        }

        corpus.Add(Bytes.Encode((ref MessagePackWriter w) => w.WriteTensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3])));
        corpus.Add(Bytes.Encode((ref MessagePackWriter w) => w.WriteTensor(new long[] { 1, 2 }, [2])));
        corpus.Add(Bytes.Hex("85 c46e64c3 a474797065a33c6634 a46b696e64c400 a573686170659102 a464617461c408 0000803f00000040"));
        corpus.Add(Bytes.Hex("d6ff00000001 d7ff0000000400000001 c70cff00000001ffffffffffffffff"));
        return corpus;
    }

    private static (string Kind, byte[] Input) Mutate(Random random, List<byte[]> corpus)
    {
        byte[] Pick() => corpus[random.Next(corpus.Count)];
        switch (random.Next(11))
        {
            case 0:
            {
                byte[] source = Pick();
                return ("truncate", source[..random.Next(0, source.Length)]);
            }

            case 1:
            {
                byte[] copy = (byte[])Pick().Clone();
                int flips = random.Next(1, 5);
                for (int f = 0; f < flips && copy.Length > 0; f++)
                {
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return ("bitflip", copy);
            }

            case 2:
            {
                byte[] copy = (byte[])Pick().Clone();
                int count = random.Next(1, 4);
                for (int f = 0; f < count && copy.Length > 0; f++)
                {
                    copy[random.Next(copy.Length)] = Interesting[random.Next(Interesting.Length)];
                }

                return ("interesting-byte", copy);
            }

            case 3:
            {
                byte[] source = Pick();
                int at = random.Next(0, source.Length + 1);
                byte[] header = OversizedHeaders[random.Next(OversizedHeaders.Length)];
                return ("oversized-header", Bytes.Concat(source[..at], header, source[at..]));
            }

            case 4:
            {
                var bytes = new byte[random.Next(0, 65)];
                random.NextBytes(bytes);
                return ("random", bytes);
            }

            case 5:
            {
                var bytes = new byte[random.Next(0, 65)];
                for (int b = 0; b < bytes.Length; b++)
                {
                    bytes[b] = random.Next(2) == 0 ? Interesting[random.Next(Interesting.Length)] : (byte)random.Next(256);
                }

                return ("random-codes", bytes);
            }

            case 6:
            {
                byte[] a = Pick();
                byte[] b = Pick();
                return ("splice", Bytes.Concat(a[..random.Next(0, a.Length + 1)], b[random.Next(0, b.Length + 1)..]));
            }

            case 7:
                return ("deep-nesting", DeepNesting(random));
            case 8:
                return ("bad-extension", BadExtension(random));
            case 9:
            {
                byte[] source = Pick();
                int at = random.Next(0, source.Length + 1);
                return ("insert-c1", Bytes.Concat(source[..at], [0xc1], source[at..]));
            }

            default:
                return ("valid", Pick());
        }
    }

    private static byte[] DeepNesting(Random random)
    {
        int levels = random.Next(20) == 0 ? 10_000 : random.Next(1, 200);
        byte[] unit = random.Next(4) switch
        {
            0 => [0x91],
            1 => [0x81, 0xc0], // {nil: {nil: …}}
            2 => [0xdc, 0x00, 0x01],
            _ => [0x92, 0x01],
        };
        var bytes = new byte[(levels * unit.Length) + 1];
        for (int l = 0; l < levels; l++)
        {
            unit.CopyTo(bytes, l * unit.Length);
        }

        bytes[^1] = 0xc0;
        // Sometimes leave the innermost value (or more) out.
        return random.Next(3) == 0 ? bytes[..random.Next(0, bytes.Length)] : bytes;
    }

    private static byte[] BadExtension(Random random)
    {
        sbyte type = random.Next(2) == 0 ? (sbyte)-1 : (sbyte)random.Next(-128, 128);
        int claimed = random.Next(4) switch
        {
            0 => random.Next(0, 20),
            1 => 12,
            2 => random.Next(0, 300),
            _ => int.MaxValue - random.Next(0, 10),
        };
        int present = Math.Min(claimed, random.Next(0, 24));
        byte[] header = random.Next(4) switch
        {
            0 => [0xc7, (byte)claimed, (byte)type],
            1 => [0xc8, (byte)(claimed >> 8), (byte)claimed, (byte)type],
            2 => [0xc9, (byte)(claimed >> 24), (byte)(claimed >> 16), (byte)(claimed >> 8), (byte)claimed, (byte)type],
            _ => [(byte)(0xd4 + random.Next(5)), (byte)type],
        };
        var body = new byte[present];
        random.NextBytes(body);
        if (type == -1 && body.Length >= 4 && random.Next(2) == 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(body, 0xffffffff); // nanoseconds out of range
        }

        return Bytes.Concat(header, body);
    }

    private sealed record Outcome(List<MessagePackValue> Values, long Consumed, MessagePackDecodeError? Error, long Position)
    {
        public bool SameAs(Outcome other) =>
            Error == other.Error && Position == other.Position && Consumed == other.Consumed &&
            Values.Count == other.Values.Count && Values.Zip(other.Values).All(p => p.First.Equals(p.Second));

        public override string ToString() => Error is null ? $"{Values.Count} values" : $"{Error} at {Position} after {Values.Count} values";
    }

    private static Outcome Decode(ReadOnlySequence<byte> input, MessagePackReaderOptions options)
    {
        var values = new List<MessagePackValue>();
        var reader = new MessagePackReader(input, options);
        try
        {
            while (!reader.End)
            {
                values.Add(reader.ReadValue());
            }

            return new Outcome(values, reader.Consumed, null, 0);
        }
        catch (MessagePackDecodeException e)
        {
            return new Outcome(values, -1, e.Error, e.Position);
        }
    }

    private static void CheckDecodedConsistency(byte[] input, MessagePackReaderOptions options, Outcome outcome)
    {
        // Skip accepts whatever ReadValue accepted, consuming the same bytes.
        var skipper = new MessagePackReader(input, options);
        int skipped = 0;
        while (!skipper.End)
        {
            skipper.Skip();
            skipped++;
        }

        skipped.Should().Be(outcome.Values.Count);

        // Re-encoding (smallest forms) decodes to equal values.
        foreach (var value in outcome.Values)
        {
            byte[] again = Bytes.Encode(value);
            var reader = new MessagePackReader(again, Unlimited);
            reader.ReadValue().Should().Be(value);
            reader.End.Should().BeTrue();
        }
    }

    /// <summary>Calls the typed reader for whatever the next value is (and one mismatched read).</summary>
    private static void TypedReads(byte[] input, MessagePackReaderOptions options)
    {
        var reader = new MessagePackReader(input, options);
        try
        {
            var probe = reader.CreatePeekReader();
            try
            {
                probe.ReadTensor();
            }
            catch (MessagePackDecodeException)
            {
            }

            while (reader.TryPeekType(out var type))
            {
                switch (type)
                {
                    case MessagePackType.Nil: reader.ReadNil(); break;
                    case MessagePackType.Boolean: reader.ReadBoolean(); break;
                    case MessagePackType.Integer: reader.ReadInt32(); break;
                    case MessagePackType.Float: reader.ReadSingle(); break;
                    case MessagePackType.String: reader.ReadString(); break;
                    case MessagePackType.Binary: reader.ReadBytes(); break;
                    case MessagePackType.Array: reader.ReadArrayHeader(); break;
                    case MessagePackType.Map: reader.ReadMapHeader(); break;
                    case MessagePackType.Extension:
                        var peek = reader.CreatePeekReader();
                        if (peek.ReadExtensionHeader().TypeCode == -1)
                        {
                            reader.ReadDateTime();
                        }
                        else
                        {
                            reader.ReadExtension();
                        }

                        break;
                    default: reader.ReadUInt64(); break;
                }
            }
        }
        catch (MessagePackDecodeException)
        {
        }
    }

    private static int Frames(byte[] stream, Random random, MessagePackReaderOptions options)
    {
        var frames = new FrameReader(random.Next(1, 2048), options);
        var sequence = random.Next(2) == 0 ? new ReadOnlySequence<byte>(stream) : Segmented.SplitRandomly(stream, random, 16);
        int count = 0;
        try
        {
            while (frames.TryReadFrame(ref sequence, out var payload))
            {
                var reader = new MessagePackReader(payload, options);
                reader.ReadValue();
                count++;
            }
        }
        catch (MessagePackDecodeException)
        {
        }

        return count;
    }

    /// <summary>Wraps an input in frames with a correct, short, long or random length prefix.</summary>
    private static byte[] Framed(byte[] input, Random random)
    {
        uint length = random.Next(4) switch
        {
            0 => (uint)input.Length + 1,
            1 => (uint)Math.Max(0, input.Length - 1),
            2 => (uint)random.Next(),
            _ => (uint)input.Length,
        };
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        return random.Next(3) == 0 ? Bytes.Concat(header, input, header, input) : Bytes.Concat(header, input);
    }

    private static string Hex(byte[] input) =>
        input.Length <= 96 ? Convert.ToHexStringLower(input) : Convert.ToHexStringLower(input.AsSpan(0, 96)) + $"… ({input.Length} bytes)";
}
