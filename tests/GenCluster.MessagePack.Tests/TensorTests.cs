using System.Buffers;
using System.Buffers.Binary;
using GenCluster.MessagePack.Tests.Support;

namespace GenCluster.MessagePack.Tests;

/// <summary>The msgpack-numpy-compatible tensor map: layout, validation and round trips.</summary>
public class TensorTests
{
    [Fact]
    public void Float_tensor_is_a_map_with_raw_little_endian_bin_data()
    {
        float[] data = [1f, -2f, 0.5f, float.NegativeInfinity, -0f, 3.25f];
        byte[] bytes = Bytes.Encode((ref MessagePackWriter w) => w.WriteTensor(data, [2, 3]));

        var raw = new byte[24];
        for (int i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), data[i]);
        }

        byte[] expected = Bytes.Concat(
            Bytes.Hex("84 a26e64 c3 a474797065 a33c6634 a57368617065 92 02 03 a464617461 c418"),
            raw);
        bytes.Should().Equal(expected);
    }

    [Fact]
    public void Tensors_round_trip_for_each_typed_helper()
    {
        var random = new Random(3);
        float[] floats = Enumerable.Range(0, 60).Select(_ => (float)random.NextDouble()).ToArray();
        double[] doubles = Enumerable.Range(0, 6).Select(_ => random.NextDouble()).ToArray();
        long[] longs = [long.MinValue, -1, 0, 1, long.MaxValue];
        int[] ints = [int.MinValue, 0, int.MaxValue];

        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteTensor(floats, [3, 4, 5]);
        writer.WriteTensor(doubles, [6]);
        writer.WriteTensor(longs, [5, 1]);
        writer.WriteTensor(ints, [3]);
        writer.WriteTensor([42f], []);
        writer.WriteTensor(ReadOnlySpan<float>.Empty, [0]);
        writer.WriteTensor(ReadOnlySpan<double>.Empty, [4, 0, 2]);
        writer.WriteTensor([1, 0, 1], TensorDType.Bool, [3]);

        foreach (int layout in new[] { 0, 1, 5 })
        {
            byte[] bytes = buffer.WrittenSpan.ToArray();
            var reader = new MessagePackReader(layout == 0 ? new ReadOnlySequence<byte>(bytes) : Segmented.Split(bytes, layout));

            var t = reader.ReadTensor();
            t.DType.Should().Be("<f4");
            t.ItemSize.Should().Be(4);
            t.Shape.ToArray().Should().Equal(3, 4, 5);
            t.Rank.Should().Be(3);
            t.ElementCount.Should().Be(60);
            t.ToSingleArray().Should().Equal(floats);

            t = reader.ReadTensor();
            t.DType.Should().Be("<f8");
            t.ToDoubleArray().Should().Equal(doubles);

            t = reader.ReadTensor();
            t.DType.Should().Be("<i8");
            t.Shape.ToArray().Should().Equal(5, 1);
            t.ToInt64Array().Should().Equal(longs);

            t = reader.ReadTensor();
            t.DType.Should().Be("<i4");
            var intsBack = new int[3];
            t.CopyTo(intsBack);
            intsBack.Should().Equal(ints);

            t = reader.ReadTensor();
            t.Rank.Should().Be(0);
            t.ElementCount.Should().Be(1);
            t.ToSingleArray().Should().Equal(42f);

            t = reader.ReadTensor();
            t.ElementCount.Should().Be(0);
            t.Data.Length.Should().Be(0);

            t = reader.ReadTensor();
            t.Shape.ToArray().Should().Equal(4, 0, 2);
            t.ElementCount.Should().Be(0);

            t = reader.ReadTensor();
            t.DType.Should().Be("|b1");
            t.Data.ToArray().Should().Equal(1, 0, 1);
            reader.End.Should().BeTrue();
        }
    }

    [Fact]
    public void Large_tensors_use_bin16_and_bin32()
    {
        byte[] small = Bytes.Encode((ref MessagePackWriter w) => w.WriteTensor(new float[100], [100]));
        small.AsSpan(small.Length - 400 - 3, 3).ToArray().Should().Equal(Bytes.Hex("c50190"));
        byte[] large = Bytes.Encode((ref MessagePackWriter w) => w.WriteTensor(new float[20_000], [200, 100]));
        large.AsSpan(large.Length - 80_000 - 5, 5).ToArray().Should().Equal(Bytes.Hex("c600013880"));
    }

    [Fact]
    public void Tensor_data_is_a_slice_of_the_input()
    {
        byte[] bytes = Bytes.Encode((ref MessagePackWriter w) => w.WriteTensor(new float[] { 1, 2 }, [2]));
        var reader = new MessagePackReader(bytes);
        var tensor = reader.ReadTensor();
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(tensor.Data.First, out var segment).Should().BeTrue();
        segment.Array.Should().BeSameAs(bytes);
        segment.Offset.Should().Be(bytes.Length - 8);
    }

    [Fact]
    public void Keys_in_any_order_as_str_or_bin_with_kind_are_accepted()
    {
        byte[] data = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(data, 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), -2f);
        byte[] bytes = Bytes.Encode((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(5);
            w.WriteBinary("data"u8);
            w.WriteBinary(data);
            w.WriteBinary("kind"u8);
            w.WriteBinary(ReadOnlySpan<byte>.Empty);
            w.WriteString("shape");
            w.WriteArrayHeader(2);
            w.Write(1);
            w.Write(2);
            w.WriteBinary("type"u8);
            w.WriteString("<f4");
            w.WriteString("nd");
            w.Write(true);
        });
        var reader = new MessagePackReader(bytes);
        var tensor = reader.ReadTensor();
        tensor.Shape.ToArray().Should().Equal(1, 2);
        tensor.ToSingleArray().Should().Equal(1.5f, -2f);
    }

    public static TheoryData<string, string> InvalidTensors => new()
    {
        { "missing data", "83 a26e64c3 a474797065a33c6634 a573686170659101" },
        { "missing type", "84 a26e64c3 a46b696e64a0 a573686170659101 a464617461c40400000000" },
        { "nd false", "84 a26e64c2 a474797065a33c6634 a573686170659101 a464617461c40400000000" },
        { "nd not a bool", "84 a26e6401 a474797065a33c6634 a573686170659101 a464617461c40400000000" },
        { "duplicate key", "85 a26e64c3 a26e64c3 a474797065a33c6634 a573686170659101 a464617461c40400000000" },
        { "unknown key", "85 a26e64c3 a378797aa0 a474797065a33c6634 a573686170659101 a464617461c40400000000" },
        { "big-endian dtype", "84 a26e64c3 a474797065a33e6634 a573686170659101 a464617461c40400000000" },
        { "unsupported dtype", "84 a26e64c3 a474797065a33c6633 a573686170659101 a464617461c40400000000" },
        { "object dtype", "84 a26e64c3 a474797065a27c4f a573686170659101 a464617461c40400000000" },
        { "dtype too long", "84 a26e64c3 a474797065a93c6634343434343434 a573686170659101 a464617461c40400000000" },
        { "data one byte short", "84 a26e64c3 a474797065a33c6634 a573686170659102 a464617461c40700000000000000" },
        { "data one byte long", "84 a26e64c3 a474797065a33c6634 a573686170659101 a464617461c4050000000000" },
        { "negative dimension", "84 a26e64c3 a474797065a33c6634 a5736861706592ff01 a464617461c40400000000" },
        { "overflowing shape", "84 a26e64c3 a474797065a33c6634 a57368617065 92 cf7fffffffffffffff cf7fffffffffffffff a464617461c40400000000" },
        { "data as an array of floats", "84 a26e64c3 a474797065a33c6634 a573686170659101 a46461746191ca3f800000" },
        { "data as str", "84 a26e64c3 a474797065a33c6634 a573686170659101 a464617461a400000000" },
        { "shape not an array", "84 a26e64c3 a474797065a33c6634 a5736861706501 a464617461c40400000000" },
        { "shape element a float", "84 a26e64c3 a474797065a33c6634 a5736861706591ca3f800000 a464617461c40400000000" },
        { "not a map", "94 c3 c3 c3 c3" },
        { "too few entries", "81 a26e64c3" },
        { "integer key", "84 01c3 a474797065a33c6634 a573686170659101 a464617461c40400000000" },
        { "truncated data", "84 a26e64c3 a474797065a33c6634 a573686170659101 a464617461c404000000" },
    };

    [Theory]
    [MemberData(nameof(InvalidTensors))]
    public void Invalid_tensor_maps_are_rejected_with_a_decode_error(string why, string hex)
    {
        var act = () =>
        {
            var reader = new MessagePackReader(Bytes.Hex(hex));
            reader.ReadTensor();
        };
        act.Should().Throw<MessagePackDecodeException>(why);
    }

    [Fact]
    public void Valid_variant_of_the_invalid_cases_is_accepted()
    {
        // Guards the table above: the same layout with consistent fields decodes.
        var reader = new MessagePackReader(Bytes.Hex("84 a26e64c3 a474797065a33c6634 a573686170659101 a464617461c40400000000"));
        reader.ReadTensor().ToSingleArray().Should().Equal(0f);
    }

    [Fact]
    public void Writer_validates_dtype_and_length()
    {
        var badLength = () => Bytes.Encode((ref MessagePackWriter w) => w.WriteTensor(new byte[7], TensorDType.Float32, [2]));
        var badDType = () => Bytes.Encode((ref MessagePackWriter w) => w.WriteTensor(new byte[8], ">f4", [2]));
        var negative = () => Bytes.Encode((ref MessagePackWriter w) => w.WriteTensor(new float[2], [-1, -2]));
        var typedMismatch = () => Bytes.Encode((ref MessagePackWriter w) => w.WriteTensor(new float[5], [2, 3]));
        badLength.Should().Throw<ArgumentException>();
        badDType.Should().Throw<ArgumentException>();
        negative.Should().Throw<ArgumentException>();
        typedMismatch.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Typed_copy_checks_the_dtype()
    {
        byte[] bytes = Bytes.Encode((ref MessagePackWriter w) => w.WriteTensor(new double[] { 1 }, [1]));
        var reader = new MessagePackReader(bytes);
        var tensor = reader.ReadTensor();
        var wrongType = () => tensor.ToSingleArray();
        wrongType.Should().Throw<InvalidOperationException>();
        var tooShort = () => tensor.CopyTo(Span<double>.Empty);
        tooShort.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData("<f4", 4)]
    [InlineData("<f8", 8)]
    [InlineData("<f2", 2)]
    [InlineData("<i8", 8)]
    [InlineData("|u1", 1)]
    [InlineData("|b1", 1)]
    [InlineData("|i1", 1)]
    [InlineData("<c16", 16)]
    [InlineData(">f4", 0)]
    [InlineData("=f4", 0)]
    [InlineData("|f4", 0)]
    [InlineData("<f16", 0)]
    [InlineData("<b2", 0)]
    [InlineData("<O8", 0)]
    [InlineData("<f", 0)]
    [InlineData("<f04", 0)]
    [InlineData("", 0)]
    public void DType_item_sizes(string dtype, int itemSize)
    {
        TensorDType.TryGetItemSize(dtype, out int size).Should().Be(itemSize != 0);
        size.Should().Be(itemSize);
    }
}
