using System.Text.Json;
using GenCluster.CodeGen.Tests.Contracts;
using GenCluster.Runtime;
using GenCluster.Runtime.Serialization;
using GenCluster.Testing;

namespace GenCluster.CodeGen.Tests.Interop;

/// <summary>Tensor-form arrays against Debian's python3-msgpack and python3-numpy (tests/peers/codegen_peer.py).</summary>
public sealed class TensorInteropTests
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_float_array_decodes_in_numpy_bit_for_bit()
    {
        float[] values = [0f, 1.5f, -2.25f, float.MaxValue, float.Epsilon, -0f];
        using var directory = new TemporaryDirectory("codegen-interop");
        var path = directory.File("floats.msgpack");
        File.WriteAllBytes(path, MessagePackSerializer.Serialize(values));

        using var result = JsonDocument.Parse(Peer("decode", path));

        var tensor = result.RootElement;
        tensor.GetProperty("tensor").GetString().Should().Be("<f4");
        tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).Should().Equal(values.Length);
        tensor.GetProperty("bits").EnumerateArray().Select(b => b.GetUInt32())
            .Should().Equal(values.Select(v => BitConverter.SingleToUInt32Bits(v)));
    }

    [Fact]
    public void A_generated_map_decodes_in_python_with_integer_keys_and_a_tensor_inside()
    {
        using var directory = new TemporaryDirectory("codegen-interop");
        var path = directory.File("sample.msgpack");
        File.WriteAllBytes(path, MessagePackSerializer.Serialize(new Sample("batch", [0.25f, 4f], 3)));

        using var result = JsonDocument.Parse(Peer("decode", path));

        var sample = result.RootElement;
        sample.GetProperty("0").GetString().Should().Be("batch");
        sample.GetProperty("1").GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).Should().Equal(0.25, 4.0);
        sample.GetProperty("2").GetInt32().Should().Be(3);
    }

    [Fact]
    public void Double_and_long_arrays_decode_in_numpy_with_their_dtypes()
    {
        using var directory = new TemporaryDirectory("codegen-interop");
        var path = directory.File("pair.msgpack");
        File.WriteAllBytes(path, MessagePackSerializer.Serialize((new[] { 0.1, -1e300 }, new[] { long.MinValue, 7L })));

        using var result = JsonDocument.Parse(Peer("decode", path));

        var doubles = result.RootElement[0];
        doubles.GetProperty("tensor").GetString().Should().Be("<f8");
        doubles.GetProperty("bits").EnumerateArray().Select(b => b.GetUInt64())
            .Should().Equal(BitConverter.DoubleToUInt64Bits(0.1), BitConverter.DoubleToUInt64Bits(-1e300));
        var longs = result.RootElement[1];
        longs.GetProperty("tensor").GetString().Should().Be("<i8");
        longs.GetProperty("values").EnumerateArray().Select(v => v.GetInt64()).Should().Equal(long.MinValue, 7L);
    }

    [Theory]
    [InlineData("<f4")]
    [InlineData("<f8")]
    [InlineData("<i8")]
    public void A_tensor_written_the_msgpack_numpy_way_reads_back_as_an_array(string dtype)
    {
        using var directory = new TemporaryDirectory("codegen-interop");
        var path = directory.File("tensor.msgpack");

        Peer("encode", dtype, path);
        var bytes = File.ReadAllBytes(path);

        switch (dtype)
        {
            case "<f4":
                MessagePackSerializer.Deserialize<float[]>(bytes).Should().Equal(0f, 0.5f, 1f, 1.5f, 2f, 2.5f);
                break;
            case "<f8":
                MessagePackSerializer.Deserialize<double[]>(bytes).Should().Equal(0, 0.5, 1, 1.5, 2, 2.5);
                break;
            default:
                MessagePackSerializer.Deserialize<long[]>(bytes).Should().Equal(0, 3, 6, 9, 12, 15);
                break;
        }
    }

    [Fact]
    public void A_shaped_tensor_view_of_an_array_slice_decodes_in_numpy_with_its_shape_bit_for_bit()
    {
        float[] buffer = [9f, 0f, 1.5f, -2.25f, float.MaxValue, float.Epsilon, -0f, 9f];
        using var directory = new TemporaryDirectory("codegen-interop");
        var path = directory.File("view.msgpack");
        File.WriteAllBytes(path, MessagePackSerializer.Serialize(TensorView.Of<float>(buffer.AsMemory(1, 6), [2, 3])));

        using var result = JsonDocument.Parse(Peer("decode", path));

        var tensor = result.RootElement;
        tensor.GetProperty("tensor").GetString().Should().Be("<f4");
        tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).Should().Equal(2, 3);
        tensor.GetProperty("bits").EnumerateArray().Select(b => b.GetUInt32())
            .Should().Equal(buffer[1..7].Select(v => BitConverter.SingleToUInt32Bits(v)));
    }

    [Fact]
    public void A_tensor_written_the_msgpack_numpy_way_reads_back_as_a_view()
    {
        using var directory = new TemporaryDirectory("codegen-interop");
        var path = directory.File("tensor.msgpack");
        Peer("encode", "<f4", path);

        using var view = MessagePackSerializer.Deserialize<TensorView<float>>(File.ReadAllBytes(path));

        view.Shape.ToArray().Should().Equal(6);
        view.ToArray().Should().Equal(0f, 0.5f, 1f, 1.5f, 2f, 2.5f);
    }

    private static string Peer(params string[] arguments) =>
        PythonPeer.Run(PythonPeer.Script("codegen_peer.py"), arguments, PeerTimeout);
}
