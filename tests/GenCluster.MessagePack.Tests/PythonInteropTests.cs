using System.Buffers;
using System.Diagnostics;
using GenCluster.MessagePack.Tests.Support;
using Xunit.Abstractions;

namespace GenCluster.MessagePack.Tests;

/// <summary>
/// Wire interop against an independent implementation: Debian's python3-msgpack, run as a subprocess
/// (/usr/bin/python3) exchanging framed values through temporary files.
/// </summary>
public class PythonInteropTests
{
    private const int Cases = 3000;
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;

    public PythonInteropTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Values_we_encode_are_decoded_identically_by_python_msgpack()
    {
        var stopwatch = Stopwatch.StartNew();
        var values = new List<MessagePackValue>(FixedCases());
        var generator = new RandomValues(20_240_601);
        while (values.Count < Cases)
        {
            values.Add(generator.Next());
        }

        using var temp = new TemporaryDirectory();
        var frames = new ArrayBufferWriter<byte>();
        foreach (var value in values)
        {
            FrameWriter.WriteFrame(frames, value, static (ref MessagePackWriter w, MessagePackValue v) => v.WriteTo(ref w), int.MaxValue);
        }

        File.WriteAllBytes(temp.File("ours.bin"), frames.WrittenSpan.ToArray());
        PythonPeer.Run(PythonPeer.Script("msgpack_peer.py"), PeerTimeout, "decode", temp.File("ours.bin"), temp.File("python.txt"));
        string[] lines = File.ReadAllLines(temp.File("python.txt"));

        lines.Should().HaveCount(values.Count);
        var mismatches = new List<string>();
        int repackChecked = 0;
        for (int i = 0; i < values.Count; i++)
        {
            string[] parts = lines[i].Split('\t');
            string expected = InteropDescription.Describe(values[i]);
            if (parts[0] != expected)
            {
                mismatches.Add($"case {i}: ours {Shorten(expected)} python {Shorten(parts[0])}");
                continue;
            }

            // python re-encodes its decoded value with packb: smallest forms must give our exact bytes
            // (except float 32, which Python widens to float 64).
            if (!InteropDescription.ContainsFloat32(values[i]))
            {
                repackChecked++;
                if (parts[1] != "1")
                {
                    mismatches.Add($"case {i}: python re-encodes {Shorten(expected)} to different bytes");
                }
            }
        }

        mismatches.Should().BeEmpty();
        repackChecked.Should().BeGreaterThan(Cases / 2);
        KindsIn(values).Should().BeEquivalentTo(Enum.GetValues<MessagePackValueKind>());
        _output.WriteLine($"{values.Count} values ({frames.WrittenCount} bytes) decoded by python-msgpack; {repackChecked} re-encoded byte-identically; {stopwatch.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void Values_python_msgpack_encodes_are_decoded_identically_here()
    {
        var stopwatch = Stopwatch.StartNew();
        using var temp = new TemporaryDirectory();
        PythonPeer.Run(PythonPeer.Script("msgpack_peer.py"), PeerTimeout, "generate", "12345", Cases.ToString(System.Globalization.CultureInfo.InvariantCulture), temp.File("python.bin"), temp.File("python.txt"));
        byte[] stream = File.ReadAllBytes(temp.File("python.bin"));
        string[] descriptions = File.ReadAllLines(temp.File("python.txt"));

        var frames = new FrameReader(int.MaxValue, MessagePackReaderOptions.Default);
        var input = new ReadOnlySequence<byte>(stream);
        var decoded = new List<MessagePackValue>();
        var mismatches = new List<string>();
        var random = new Random(1);
        while (frames.TryReadFrame(ref input, out var payload))
        {
            int i = decoded.Count;
            // Every fourth payload is read split into random segments (the non-contiguous path).
            var layout = i % 4 == 3 ? Segmented.SplitRandomly(payload.ToArray(), random, 64) : payload;
            var reader = new MessagePackReader(layout);
            var value = reader.ReadValue();
            reader.End.Should().BeTrue();
            decoded.Add(value);

            string ours = InteropDescription.Describe(value);
            if (ours != descriptions[i])
            {
                mismatches.Add($"case {i}: python {Shorten(descriptions[i])} ours {Shorten(ours)}");
            }
            else if (!Bytes.Encode(value).AsSpan().SequenceEqual(payload.ToArray()))
            {
                // msgpack.packb always uses the smallest forms, and our model keeps float 32 vs 64: bytes must match.
                mismatches.Add($"case {i}: re-encoding {Shorten(ours)} differs from python's bytes");
            }
        }

        input.Length.Should().Be(0);
        decoded.Should().HaveCount(Cases);
        descriptions.Should().HaveCount(Cases);
        mismatches.Should().BeEmpty();
        KindsIn(decoded).Should().BeEquivalentTo(Enum.GetValues<MessagePackValueKind>());
        _output.WriteLine($"{decoded.Count} python-encoded values ({stream.Length} bytes) decoded and re-encoded identically; {stopwatch.Elapsed.TotalSeconds:F1} s");
    }

    private static IEnumerable<MessagePackValue> FixedCases()
    {
        long[] integers = [0, 127, 128, 255, 256, 65535, 65536, uint.MaxValue, 1L + uint.MaxValue, long.MaxValue, -1, -32, -33, -128, -129, -32768, -32769, int.MinValue, int.MinValue - 1L, long.MinValue];
        foreach (long i in integers)
        {
            yield return MessagePackValue.FromInteger(i);
        }

        yield return MessagePackValue.FromInteger(ulong.MaxValue);
        yield return MessagePackValue.FromInteger(1UL << 63);
        yield return MessagePackValue.Nil;
        yield return MessagePackValue.True;
        yield return MessagePackValue.False;
        foreach (double d in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, double.Epsilon, double.MaxValue })
        {
            yield return MessagePackValue.FromFloat64(d);
            yield return MessagePackValue.FromFloat32((float)d);
        }

        foreach (int length in new[] { 0, 31, 32, 255, 256, 65535, 65536 })
        {
            yield return MessagePackValue.FromString(new string('q', length));
            yield return MessagePackValue.FromBinary(new byte[length]);
            yield return MessagePackValue.FromArray(Enumerable.Repeat(MessagePackValue.Nil, length).ToArray());
        }

        foreach (int count in new[] { 15, 16, 65535, 65536 })
        {
            yield return MessagePackValue.FromMap(Enumerable.Range(0, count)
                .Select(i => new KeyValuePair<MessagePackValue, MessagePackValue>(MessagePackValue.FromInteger(i), MessagePackValue.True)).ToArray());
        }

        yield return MessagePackValue.FromString("é€😀 mixed UTF-8 \u0000 \u07ff \uffff");
        foreach (int length in new[] { 0, 1, 2, 3, 4, 8, 16, 17, 255, 256, 65535, 65536 })
        {
            yield return MessagePackValue.FromExtension(42, new byte[length]);
        }

        yield return MessagePackValue.FromExtension(-128, [1, 2, 3, 4]);
        foreach (var (seconds, nanoseconds) in new (long, uint)[] { (0, 0), (uint.MaxValue, 0), (1L << 32, 0), (1, 1), ((1L << 34) - 1, 999_999_999), (1L << 34, 0), (-1, 0), (-1, 123_456_789), (long.MinValue, 0), (long.MaxValue, 999_999_999) })
        {
            yield return MessagePackValue.FromTimestamp(new MessagePackTimestamp(seconds, nanoseconds));
        }
    }

    private static HashSet<MessagePackValueKind> KindsIn(IEnumerable<MessagePackValue> values)
    {
        var kinds = new HashSet<MessagePackValueKind>();
        var stack = new Stack<MessagePackValue>(values);
        while (stack.Count > 0)
        {
            var value = stack.Pop();
            kinds.Add(value.Kind);
            if (value.Kind == MessagePackValueKind.Array)
            {
                foreach (var item in value.Array)
                {
                    stack.Push(item);
                }
            }
            else if (value.Kind == MessagePackValueKind.Map)
            {
                foreach (var entry in value.Map)
                {
                    stack.Push(entry.Key);
                    stack.Push(entry.Value);
                }
            }
        }

        return kinds;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
