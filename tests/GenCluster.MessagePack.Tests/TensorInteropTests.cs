using System.Buffers;
using System.Text.Json;
using GenCluster.MessagePack.Tests.Support;
using Xunit.Abstractions;

namespace GenCluster.MessagePack.Tests;

/// <summary>Tensor maps exchanged with NumPy through python3-msgpack, in the msgpack-numpy layout.</summary>
public class TensorInteropTests
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(60);
    private readonly ITestOutputHelper _output;

    public TensorInteropTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Numpy_arrays_packed_by_python_decode_to_the_exact_values()
    {
        using var temp = new TemporaryDirectory();
        PythonPeer.Run(PythonPeer.Script("msgpack_peer.py"), PeerTimeout, "tensor-generate", "7", temp.File("tensors.bin"), temp.File("tensors.json"));
        using var expected = JsonDocument.Parse(File.ReadAllText(temp.File("tensors.json")));
        var input = new ReadOnlySequence<byte>(File.ReadAllBytes(temp.File("tensors.bin")));
        var frames = new FrameReader(int.MaxValue);

        int index = 0;
        int elements = 0;
        foreach (var entry in expected.RootElement.EnumerateArray())
        {
            frames.TryReadFrame(ref input, out var payload).Should().BeTrue();
            var reader = new MessagePackReader(payload);
            var tensor = reader.ReadTensor();
            reader.End.Should().BeTrue();

            string dtype = entry.GetProperty("dtype").GetString()!;
            long[] shape = entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            tensor.DType.Should().Be(dtype, $"tensor {index}");
            tensor.Shape.ToArray().Should().Equal(shape, $"tensor {index}");

            var bits = entry.GetProperty("bits").EnumerateArray();
            switch (dtype)
            {
                case "<f4":
                    tensor.ToSingleArray().Select(f => (long)BitConverter.SingleToUInt32Bits(f))
                        .Should().Equal(bits.Select(b => (long)b.GetUInt32()), $"tensor {index}");
                    break;
                case "<f8":
                    tensor.ToDoubleArray().Select(BitConverter.DoubleToUInt64Bits)
                        .Should().Equal(bits.Select(b => b.GetUInt64()), $"tensor {index}");
                    break;
                case "<i8":
                    tensor.ToInt64Array().Should().Equal(bits.Select(b => b.GetInt64()), $"tensor {index}");
                    break;
                default:
                    throw new InvalidOperationException(dtype);
            }

            elements += (int)tensor.ElementCount;
            index++;
        }

        input.Length.Should().Be(0);
        index.Should().Be(10);
        _output.WriteLine($"{index} numpy tensors ({elements} elements) decoded bit-exactly");
    }

    [Fact]
    public void Tensors_we_write_are_read_by_numpy_frombuffer_bit_exactly()
    {
        var random = new Random(99);
        using var temp = new TemporaryDirectory();
        var frames = new ArrayBufferWriter<byte>();
        using var json = new MemoryStream();
        using (var expected = new Utf8JsonWriter(json))
        {
            expected.WriteStartArray();
            long[][] shapes = [[3, 4], [2, 3, 5], [0], [], [100_000], [4, 0, 2], [64, 1, 28, 28]];
            foreach (long[] shape in shapes)
            {
                int count = (int)shape.Aggregate(1L, (a, b) => a * b);
                float[] data = Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() - 0.5) * 100)).ToArray();
                if (count >= 3)
                {
                    data[0] = float.NaN;
                    data[1] = -0f;
                    data[2] = float.Epsilon;
                }

                FrameWriter.WriteFrame(frames, (data, shape), static (ref MessagePackWriter w, (float[] Data, long[] Shape) s) => w.WriteTensor(s.Data, s.Shape), int.MaxValue);
                WriteExpected(expected, "<f4", shape, data.Select(f => (ulong)BitConverter.SingleToUInt32Bits(f)));
            }

            double[] doubles = Enumerable.Range(0, 12).Select(_ => random.NextDouble()).ToArray();
            FrameWriter.WriteFrame(frames, doubles, static (ref MessagePackWriter w, double[] d) => w.WriteTensor(d, [3, 4]));
            WriteExpected(expected, "<f8", [3, 4], doubles.Select(BitConverter.DoubleToUInt64Bits));

            long[] longs = [long.MinValue, -1, 0, 1, long.MaxValue, 1L << 40];
            FrameWriter.WriteFrame(frames, longs, static (ref MessagePackWriter w, long[] d) => w.WriteTensor(d, [2, 3]));
            WriteExpected(expected, "<i8", [2, 3], longs.Select(l => unchecked((ulong)l)), signed: true);

            int[] ints = [int.MinValue, -7, 0, int.MaxValue];
            FrameWriter.WriteFrame(frames, ints, static (ref MessagePackWriter w, int[] d) => w.WriteTensor(d, [4]));
            WriteExpected(expected, "<i4", [4], ints.Select(i => unchecked((ulong)(long)i)), signed: true);
            expected.WriteEndArray();
        }

        File.WriteAllBytes(temp.File("ours.bin"), frames.WrittenSpan.ToArray());
        File.WriteAllBytes(temp.File("ours.json"), json.ToArray());
        string result = PythonPeer.Run(PythonPeer.Script("msgpack_peer.py"), PeerTimeout, "tensor-check", temp.File("ours.bin"), temp.File("ours.json"));
        result.Should().Contain("checked 10 tensors, 0 failures");
        _output.WriteLine(result.Trim());
    }

    private static void WriteExpected(Utf8JsonWriter json, string dtype, long[] shape, IEnumerable<ulong> bits, bool signed = false)
    {
        json.WriteStartObject();
        json.WriteString("dtype", dtype);
        json.WriteStartArray("shape");
        foreach (long d in shape)
        {
            json.WriteNumberValue(d);
        }

        json.WriteEndArray();
        json.WriteStartArray("bits");
        foreach (ulong b in bits)
        {
            if (signed)
            {
                json.WriteNumberValue(unchecked((long)b));
            }
            else
            {
                json.WriteNumberValue(b);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
