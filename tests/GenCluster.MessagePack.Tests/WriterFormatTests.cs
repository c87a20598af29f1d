using GenCluster.MessagePack.Tests.Support;

namespace GenCluster.MessagePack.Tests;

/// <summary>Exact bytes for every format family at every boundary, per the MessagePack specification.</summary>
public class WriterFormatTests
{
    [Theory]
    [InlineData(0L, "00")]
    [InlineData(1L, "01")]
    [InlineData(127L, "7f")]
    [InlineData(128L, "cc80")]
    [InlineData(255L, "ccff")]
    [InlineData(256L, "cd0100")]
    [InlineData(65535L, "cdffff")]
    [InlineData(65536L, "ce00010000")]
    [InlineData(4294967295L, "ceffffffff")]
    [InlineData(4294967296L, "cf0000000100000000")]
    [InlineData(long.MaxValue, "cf7fffffffffffffff")]
    [InlineData(-1L, "ff")]
    [InlineData(-32L, "e0")]
    [InlineData(-33L, "d0df")]
    [InlineData(-128L, "d080")]
    [InlineData(-129L, "d1ff7f")]
    [InlineData(-32768L, "d18000")]
    [InlineData(-32769L, "d2ffff7fff")]
    [InlineData(-2147483648L, "d280000000")]
    [InlineData(-2147483649L, "d3ffffffff7fffffff")]
    [InlineData(long.MinValue, "d38000000000000000")]
    public void Int64_uses_smallest_format(long value, string hex)
    {
        Bytes.Encode((ref MessagePackWriter w) => w.Write(value)).Should().Equal(Bytes.Hex(hex));
    }

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "cc80")]
    [InlineData(255UL, "ccff")]
    [InlineData(256UL, "cd0100")]
    [InlineData(65535UL, "cdffff")]
    [InlineData(65536UL, "ce00010000")]
    [InlineData(4294967295UL, "ceffffffff")]
    [InlineData(4294967296UL, "cf0000000100000000")]
    [InlineData(9223372036854775808UL, "cf8000000000000000")]
    [InlineData(ulong.MaxValue, "cfffffffffffffffff")]
    public void UInt64_uses_smallest_format(ulong value, string hex)
    {
        Bytes.Encode((ref MessagePackWriter w) => w.Write(value)).Should().Equal(Bytes.Hex(hex));
    }

    [Fact]
    public void Narrow_integer_overloads_use_smallest_format()
    {
        Bytes.Encode((ref MessagePackWriter w) => w.Write((byte)200)).Should().Equal(Bytes.Hex("ccc8"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write((sbyte)-100)).Should().Equal(Bytes.Hex("d09c"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write((sbyte)100)).Should().Equal(Bytes.Hex("64"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write((short)-300)).Should().Equal(Bytes.Hex("d1fed4"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write((short)300)).Should().Equal(Bytes.Hex("cd012c"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write((ushort)65535)).Should().Equal(Bytes.Hex("cdffff"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write(int.MaxValue)).Should().Equal(Bytes.Hex("ce7fffffff"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write(int.MinValue)).Should().Equal(Bytes.Hex("d280000000"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write(uint.MaxValue)).Should().Equal(Bytes.Hex("ceffffffff"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write(5)).Should().Equal(Bytes.Hex("05"));
    }

    [Fact]
    public void Nil_and_booleans()
    {
        Bytes.Encode((ref MessagePackWriter w) => w.WriteNil()).Should().Equal(Bytes.Hex("c0"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write(false)).Should().Equal(Bytes.Hex("c2"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write(true)).Should().Equal(Bytes.Hex("c3"));
        Bytes.Encode((ref MessagePackWriter w) => w.WriteString((string?)null)).Should().Equal(Bytes.Hex("c0"));
    }

    [Fact]
    public void Floats_are_big_endian_ieee754_with_exact_bits()
    {
        Bytes.Encode((ref MessagePackWriter w) => w.Write(1.5f)).Should().Equal(Bytes.Hex("ca3fc00000"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write(-0.0f)).Should().Equal(Bytes.Hex("ca80000000"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write(float.PositiveInfinity)).Should().Equal(Bytes.Hex("ca7f800000"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write(BitConverter.Int32BitsToSingle(0x7fc00001))).Should().Equal(Bytes.Hex("ca7fc00001"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write(1.5)).Should().Equal(Bytes.Hex("cb3ff8000000000000"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write(-0.0)).Should().Equal(Bytes.Hex("cb8000000000000000"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write(double.NegativeInfinity)).Should().Equal(Bytes.Hex("cbfff0000000000000"));
        Bytes.Encode((ref MessagePackWriter w) => w.Write(double.Epsilon)).Should().Equal(Bytes.Hex("cb0000000000000001"));
    }

    [Theory]
    [InlineData(0, "a0")]
    [InlineData(1, "a1")]
    [InlineData(31, "bf")]
    [InlineData(32, "d920")]
    [InlineData(255, "d9ff")]
    [InlineData(256, "da0100")]
    [InlineData(65535, "daffff")]
    [InlineData(65536, "db00010000")]
    [InlineData(70000, "db00011170")]
    public void Strings_use_smallest_header(int length, string headerHex)
    {
        string text = new('x', length);
        byte[] header = Bytes.Hex(headerHex);
        byte[] expected = Bytes.Concat(header, Bytes.Repeat((byte)'x', length));

        Bytes.Encode((ref MessagePackWriter w) => w.WriteString(text)).Should().Equal(expected);
        Bytes.Encode((ref MessagePackWriter w) => w.WriteString(text.AsSpan())).Should().Equal(expected);
        Bytes.Encode((ref MessagePackWriter w) => w.WriteStringUtf8(Bytes.Repeat((byte)'x', length))).Should().Equal(expected);
        Bytes.Encode((ref MessagePackWriter w) => w.WriteStringHeader(length)).Should().Equal(header);
    }

    [Theory]
    [InlineData("é", "a2c3a9")]
    [InlineData("€", "a3e282ac")]
    [InlineData("😀", "a4f09f9880")]
    [InlineData("€€€€€€€€€€", "be" + "e282ace282ace282ace282ace282ace282ace282ace282ace282ace282ac")]
    [InlineData("€€€€€€€€€€€", "d921" + "e282ace282ace282ace282ace282ace282ace282ace282ace282ace282ace282ac")]
    [InlineData("ééééééééééé", "b6" + "c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9")]
    public void Strings_are_utf8_with_byte_length_headers(string text, string hex)
    {
        Bytes.Encode((ref MessagePackWriter w) => w.WriteString(text)).Should().Equal(Bytes.Hex(hex));
    }

    [Fact]
    public void Unpaired_surrogates_and_invalid_utf8_are_refused()
    {
        var shortText = () => Bytes.Encode((ref MessagePackWriter w) => w.WriteString("a\ud800"));
        var longText = () => Bytes.Encode((ref MessagePackWriter w) => w.WriteString("abcdefghijklmnop\udc00"));
        var utf8 = () => Bytes.Encode((ref MessagePackWriter w) => w.WriteStringUtf8([0xc3, 0x28]));
        shortText.Should().Throw<ArgumentException>();
        longText.Should().Throw<ArgumentException>();
        utf8.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(0, "c400")]
    [InlineData(1, "c401")]
    [InlineData(255, "c4ff")]
    [InlineData(256, "c50100")]
    [InlineData(65535, "c5ffff")]
    [InlineData(65536, "c600010000")]
    public void Binary_uses_smallest_header(int length, string headerHex)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        byte[] header = Bytes.Hex(headerHex);
        byte[] expected = Bytes.Concat(header, data);

        Bytes.Encode((ref MessagePackWriter w) => w.WriteBinary(data)).Should().Equal(expected);
        Bytes.Encode((ref MessagePackWriter w) => w.WriteBinary(Segmented.Split(data, 7))).Should().Equal(expected);
        Bytes.Encode((ref MessagePackWriter w) => w.WriteBinaryHeader(length)).Should().Equal(header);
    }

    [Theory]
    [InlineData(0u, "90", "80")]
    [InlineData(1u, "91", "81")]
    [InlineData(15u, "9f", "8f")]
    [InlineData(16u, "dc0010", "de0010")]
    [InlineData(65535u, "dcffff", "deffff")]
    [InlineData(65536u, "dd00010000", "df00010000")]
    [InlineData(uint.MaxValue, "ddffffffff", "dfffffffff")]
    public void Collection_headers_use_smallest_format(uint count, string arrayHex, string mapHex)
    {
        Bytes.Encode((ref MessagePackWriter w) => w.WriteArrayHeader(count)).Should().Equal(Bytes.Hex(arrayHex));
        Bytes.Encode((ref MessagePackWriter w) => w.WriteMapHeader(count)).Should().Equal(Bytes.Hex(mapHex));
        if (count <= int.MaxValue)
        {
            Bytes.Encode((ref MessagePackWriter w) => w.WriteArrayHeader((int)count)).Should().Equal(Bytes.Hex(arrayHex));
            Bytes.Encode((ref MessagePackWriter w) => w.WriteMapHeader((int)count)).Should().Equal(Bytes.Hex(mapHex));
        }
    }

    [Fact]
    public void Arrays_and_maps_nest_their_elements()
    {
        var bytes = Bytes.Encode((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(2);
            w.WriteString("a");
            w.WriteArrayHeader(2);
            w.Write(1);
            w.Write(-1);
            w.Write(2);
            w.WriteNil();
        });
        bytes.Should().Equal(Bytes.Hex("82 a161 92 01 ff 02 c0"));
    }

    [Theory]
    [InlineData(1, "d405")]
    [InlineData(2, "d505")]
    [InlineData(4, "d605")]
    [InlineData(8, "d705")]
    [InlineData(16, "d805")]
    [InlineData(0, "c70005")]
    [InlineData(3, "c70305")]
    [InlineData(5, "c70505")]
    [InlineData(17, "c71105")]
    [InlineData(255, "c7ff05")]
    [InlineData(256, "c8010005")]
    [InlineData(65535, "c8ffff05")]
    [InlineData(65536, "c90001000005")]
    public void Extensions_use_fixext_when_possible_else_smallest_ext(int length, string headerHex)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        byte[] header = Bytes.Hex(headerHex);

        Bytes.Encode((ref MessagePackWriter w) => w.WriteExtension(5, data)).Should().Equal(Bytes.Concat(header, data));
        Bytes.Encode((ref MessagePackWriter w) => w.WriteExtensionHeader(5, length)).Should().Equal(header);
    }

    [Fact]
    public void Negative_extension_type_is_written_as_a_signed_byte()
    {
        Bytes.Encode((ref MessagePackWriter w) => w.WriteExtension(-128, [0xaa])).Should().Equal(Bytes.Hex("d480aa"));
        Bytes.Encode((ref MessagePackWriter w) => w.WriteExtension(-2, [0xaa, 0xbb, 0xcc])).Should().Equal(Bytes.Hex("c703feaabbcc"));
    }

    [Theory]
    [InlineData(0L, 0u, "d6ff00000000")]
    [InlineData(4294967295L, 0u, "d6ffffffffff")]
    [InlineData(4294967296L, 0u, "d7ff0000000100000000")]
    [InlineData(1L, 1u, "d7ff0000000400000001")]
    [InlineData(0L, 999999999u, "d7ffee6b27fc00000000")]
    [InlineData(17179869183L, 999999999u, "d7ffee6b27ffffffffff")]
    [InlineData(1539886821L, 123456789u, "d7ff1d6f34545bc8cee5")]
    [InlineData(17179869184L, 0u, "c70cff000000000000000400000000")]
    [InlineData(-1L, 0u, "c70cff00000000ffffffffffffffff")]
    [InlineData(-1L, 123456789u, "c70cff075bcd15ffffffffffffffff")]
    [InlineData(long.MinValue, 999999999u, "c70cff3b9ac9ff8000000000000000")]
    public void Timestamps_use_the_32_64_96_bit_form_the_spec_prescribes(long seconds, uint nanoseconds, string hex)
    {
        var timestamp = new MessagePackTimestamp(seconds, nanoseconds);
        Bytes.Encode((ref MessagePackWriter w) => w.WriteTimestamp(timestamp)).Should().Equal(Bytes.Hex(hex));
    }

    [Fact]
    public void DateTime_is_written_as_a_timestamp()
    {
        var instant = new DateTime(2018, 10, 18, 18, 20, 21, DateTimeKind.Utc).AddTicks(1234567);
        Bytes.Encode((ref MessagePackWriter w) => w.WriteTimestamp(instant)).Should().Equal(Bytes.Hex("d7ff1d6f32f05bc8cee5"));
        var beforeEpoch = new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(5_000_000);
        MessagePackTimestamp.FromDateTime(beforeEpoch).Should().Be(new MessagePackTimestamp(-1, 500_000_000));
        Bytes.Encode((ref MessagePackWriter w) => w.WriteTimestamp(beforeEpoch)).Should().Equal(Bytes.Hex("c70cff1dcd6500ffffffffffffffff"));
    }

    [Fact]
    public void Timestamp_rejects_nanoseconds_above_999999999()
    {
        var act = () => new MessagePackTimestamp(0, 1_000_000_000);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Raw_bytes_are_copied_unchanged()
    {
        Bytes.Encode((ref MessagePackWriter w) =>
        {
            w.WriteRaw([0x92, 0x01]);
            w.WriteRaw(Segmented.Split([0x02, 0x03], 1));
        }).Should().Equal(Bytes.Hex("92010203"));
    }

    [Fact]
    public void Writing_does_not_allocate()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1 << 20);
        const string text = "a string of more than ten characters, é€😀";
        WriteSample(buffer, text);
        buffer.ResetWrittenCount();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            WriteSample(buffer, text);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);

        static void WriteSample(System.Buffers.ArrayBufferWriter<byte> buffer, string text)
        {
            var writer = new MessagePackWriter(buffer);
            writer.WriteMapHeader(3);
            writer.WriteString("short");
            writer.WriteString(text);
            writer.WriteStringUtf8("k"u8);
            writer.Write(123456789L);
            writer.Write(-7.5);
            writer.WriteBinary(stackalloc byte[300]);
            writer.WriteTimestamp(new MessagePackTimestamp(1, 2));
        }
    }
}
