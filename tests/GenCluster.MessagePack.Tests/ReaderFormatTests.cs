using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using GenCluster.MessagePack.Tests.Support;

namespace GenCluster.MessagePack.Tests;

/// <summary>Decoding every format family, contiguous and split across segments.</summary>
public class ReaderFormatTests
{
    /// <summary>0 = contiguous (span fast path); otherwise the input is split into segments of that many bytes.</summary>
    public static TheoryData<int> Layouts => new() { 0, 1, 2, 3, 7 };

    private static ReadOnlySequence<byte> Layout(byte[] bytes, int segmentSize) =>
        segmentSize == 0 ? new ReadOnlySequence<byte>(bytes) : Segmented.Split(bytes, segmentSize);

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Integers_of_every_encoding_decode(int layout)
    {
        (string Hex, Int128 Value)[] cases =
        [
            ("00", 0), ("7f", 127), ("cc80", 128), ("ccff", 255), ("cd0100", 256), ("cdffff", 65535),
            ("ce00010000", 65536), ("ceffffffff", uint.MaxValue), ("cf0000000100000000", 1L + uint.MaxValue),
            ("cfffffffffffffffff", ulong.MaxValue), ("ff", -1), ("e0", -32), ("d0df", -33), ("d080", -128),
            ("d1ff7f", -129), ("d18000", short.MinValue), ("d2ffff7fff", -32769), ("d280000000", int.MinValue),
            ("d3ffffffff7fffffff", int.MinValue - 1L), ("d38000000000000000", long.MinValue),
            // Non-minimal encodings are legal input.
            ("cc05", 5), ("cd0005", 5), ("ce00000005", 5), ("cf0000000000000005", 5), ("d005", 5),
            ("d1fffb", -5), ("d2fffffffb", -5), ("d3fffffffffffffffb", -5),
        ];
        foreach (var (hex, expected) in cases)
        {
            var reader = new MessagePackReader(Layout(Bytes.Hex(hex), layout));
            reader.PeekType().Should().Be(MessagePackType.Integer);
            reader.ReadValue().Integer.Should().Be(expected, hex);
            reader.End.Should().BeTrue();

            var typed = new MessagePackReader(Layout(Bytes.Hex(hex), layout));
            if (expected >= long.MinValue && expected <= long.MaxValue)
            {
                typed.ReadInt64().Should().Be((long)expected);
            }
            else
            {
                typed.ReadUInt64().Should().Be((ulong)expected);
            }
        }
    }

    [Fact]
    public void Narrow_integer_reads_check_the_range()
    {
        Read("7f", (ref MessagePackReader r) => r.ReadSByte()).Should().Be(127);
        Read("d080", (ref MessagePackReader r) => r.ReadSByte()).Should().Be(-128);
        Read("ccff", (ref MessagePackReader r) => r.ReadByte()).Should().Be(255);
        Read("d18000", (ref MessagePackReader r) => r.ReadInt16()).Should().Be(short.MinValue);
        Read("cdffff", (ref MessagePackReader r) => r.ReadUInt16()).Should().Be(ushort.MaxValue);
        Read("d280000000", (ref MessagePackReader r) => r.ReadInt32()).Should().Be(int.MinValue);
        Read("ceffffffff", (ref MessagePackReader r) => r.ReadUInt32()).Should().Be(uint.MaxValue);

        ReadFails("cc80", (ref MessagePackReader r) => r.ReadSByte(), MessagePackDecodeError.IntegerOverflow);
        ReadFails("d1ff7f", (ref MessagePackReader r) => r.ReadSByte(), MessagePackDecodeError.IntegerOverflow);
        ReadFails("cd0100", (ref MessagePackReader r) => r.ReadByte(), MessagePackDecodeError.IntegerOverflow);
        ReadFails("ff", (ref MessagePackReader r) => r.ReadByte(), MessagePackDecodeError.IntegerOverflow);
        ReadFails("ce80000000", (ref MessagePackReader r) => r.ReadInt32(), MessagePackDecodeError.IntegerOverflow);
        ReadFails("ff", (ref MessagePackReader r) => r.ReadUInt32(), MessagePackDecodeError.IntegerOverflow);
        ReadFails("ff", (ref MessagePackReader r) => r.ReadUInt64(), MessagePackDecodeError.IntegerOverflow);
        ReadFails("cf8000000000000000", (ref MessagePackReader r) => r.ReadInt64(), MessagePackDecodeError.IntegerOverflow);
        ReadFails("a0", (ref MessagePackReader r) => r.ReadInt64(), MessagePackDecodeError.UnexpectedType);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Nil_booleans_and_floats_decode(int layout)
    {
        var reader = new MessagePackReader(Layout(Bytes.Hex("c0 c2 c3 ca3fc00000 cb3ff8000000000000 ca7fc00001 cb8000000000000000 c0"), layout));
        reader.IsNil.Should().BeTrue();
        reader.ReadNil();
        reader.ReadBoolean().Should().BeFalse();
        reader.ReadBoolean().Should().BeTrue();
        reader.ReadSingle().Should().Be(1.5f);
        reader.ReadDouble().Should().Be(1.5);
        BitConverter.SingleToInt32Bits(reader.ReadSingle()).Should().Be(0x7fc00001);
        BitConverter.DoubleToInt64Bits(reader.ReadDouble()).Should().Be(unchecked((long)0x8000000000000000));
        reader.TryReadNil().Should().BeTrue();
        reader.TryReadNil().Should().BeFalse();
        reader.End.Should().BeTrue();
    }

    [Fact]
    public void Floats_accept_other_numeric_encodings()
    {
        Read("ca3fc00000", (ref MessagePackReader r) => r.ReadDouble()).Should().Be(1.5);
        Read("cb3ff8000000000000", (ref MessagePackReader r) => r.ReadSingle()).Should().Be(1.5f);
        Read("d0df", (ref MessagePackReader r) => r.ReadDouble()).Should().Be(-33);
        Read("cfffffffffffffffff", (ref MessagePackReader r) => r.ReadDouble()).Should().Be(ulong.MaxValue);
        ReadFails("c3", (ref MessagePackReader r) => r.ReadDouble(), MessagePackDecodeError.UnexpectedType);
    }

    [Theory]
    [InlineData(0, "a0")]
    [InlineData(31, "bf")]
    [InlineData(32, "d920")]
    [InlineData(255, "d9ff")]
    [InlineData(256, "da0100")]
    [InlineData(65535, "daffff")]
    [InlineData(65536, "db00010000")]
    public void Strings_of_every_header_decode(int length, string headerHex)
    {
        string text = string.Create(length, length, static (span, n) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i % 26));
            }
        });
        byte[] bytes = Bytes.Concat(Bytes.Hex(headerHex), Encoding.UTF8.GetBytes(text));
        foreach (int layout in new[] { 0, length < 1000 ? 1 : 7, 1000 })
        {
            var reader = new MessagePackReader(Layout(bytes, layout));
            reader.PeekType().Should().Be(MessagePackType.String);
            reader.ReadString().Should().Be(text);
            reader.End.Should().BeTrue();

            reader = new MessagePackReader(Layout(bytes, layout));
            Encoding.UTF8.GetString(reader.ReadStringSpan()).Should().Be(text);

            reader = new MessagePackReader(Layout(bytes, layout));
            reader.ReadStringHeader().Should().Be(length);
            reader.Remaining.Should().Be(length);
        }
    }

    [Fact]
    public void Non_minimal_string_headers_and_multibyte_text_decode()
    {
        Read("d900", (ref MessagePackReader r) => r.ReadString()).Should().BeEmpty();
        Read("da0002c3a9", (ref MessagePackReader r) => r.ReadString()).Should().Be("é");
        Read("db00000004f09f9880", (ref MessagePackReader r) => r.ReadString()).Should().Be("😀");
        // Split in the middle of a 4-byte sequence.
        var reader = new MessagePackReader(Segmented.Split(Bytes.Hex("a4f09f9880"), [3]));
        reader.ReadString().Should().Be("😀");
    }

    [Theory]
    [InlineData("a2c328")] // bad continuation byte
    [InlineData("a2c080")] // overlong encoding of U+0000
    [InlineData("a3eda080")] // encoded surrogate U+D800
    [InlineData("a4f4908080")] // above U+10FFFF
    [InlineData("a1ff")]
    [InlineData("a1c3")] // truncated sequence
    public void Invalid_utf8_is_rejected(string hex)
    {
        foreach (int layout in new[] { 0, 1 })
        {
            ReadFails(Layout(Bytes.Hex(hex), layout), (ref MessagePackReader r) => r.ReadString(), MessagePackDecodeError.InvalidUtf8);
            ReadFails(Layout(Bytes.Hex(hex), layout), (ref MessagePackReader r) => r.ReadStringSequence(), MessagePackDecodeError.InvalidUtf8);
            ReadFails(Layout(Bytes.Hex(hex), layout), (ref MessagePackReader r) => r.ReadValue(), MessagePackDecodeError.InvalidUtf8);
        }
    }

    [Fact]
    public void Strings_and_binary_are_returned_as_slices_of_the_input_not_copies()
    {
        byte[] input = Bytes.Concat(Bytes.Hex("a5"), "hello"u8.ToArray(), Bytes.Hex("c403"), [1, 2, 3]);
        var reader = new MessagePackReader(input);
        var text = reader.ReadStringSpan();
        Unsafe.AreSame(ref MemoryMarshal.GetReference(text), ref input[1]).Should().BeTrue();
        var binary = reader.ReadBytes();
        MemoryMarshal.TryGetArray(binary.First, out var segment).Should().BeTrue();
        segment.Array.Should().BeSameAs(input);
        segment.Offset.Should().Be(8);
        segment.Count.Should().Be(3);
    }

    [Theory]
    [InlineData(0, "c400")]
    [InlineData(255, "c4ff")]
    [InlineData(256, "c50100")]
    [InlineData(65535, "c5ffff")]
    [InlineData(65536, "c600010000")]
    public void Binary_of_every_header_decodes(int length, string headerHex)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        byte[] bytes = Bytes.Concat(Bytes.Hex(headerHex), data);
        foreach (int layout in new[] { 0, 1, 4096 })
        {
            var reader = new MessagePackReader(Layout(bytes, layout));
            reader.PeekType().Should().Be(MessagePackType.Binary);
            reader.ReadBytes().ToArray().Should().Equal(data);
            reader.End.Should().BeTrue();
        }
    }

    [Theory]
    [InlineData(0, "90", "80")]
    [InlineData(15, "9f", "8f")]
    [InlineData(16, "dc0010", "de0010")]
    [InlineData(65535, "dcffff", "deffff")]
    [InlineData(65536, "dd00010000", "df00010000")]
    public void Collections_of_every_header_decode(int count, string arrayHex, string mapHex)
    {
        byte[] array = Bytes.Concat(Bytes.Hex(arrayHex), Bytes.Repeat(0x01, count));
        var reader = new MessagePackReader(array);
        reader.PeekType().Should().Be(MessagePackType.Array);
        reader.ReadArrayHeader().Should().Be(count);
        reader = new MessagePackReader(array);
        var value = reader.ReadValue();
        value.Array.Should().HaveCount(count);
        value.Array.All(v => v.Integer == 1).Should().BeTrue();

        byte[] map = Bytes.Concat(Bytes.Hex(mapHex), Bytes.Repeat(0xc0, 2 * count));
        reader = new MessagePackReader(map);
        reader.PeekType().Should().Be(MessagePackType.Map);
        reader.ReadMapHeader().Should().Be(count);
        reader = new MessagePackReader(map);
        reader.ReadValue().Map.Should().HaveCount(count);
        reader.End.Should().BeTrue();
    }

    [Theory]
    [InlineData(1, "d4")]
    [InlineData(2, "d5")]
    [InlineData(4, "d6")]
    [InlineData(8, "d7")]
    [InlineData(16, "d8")]
    [InlineData(0, "c700")]
    [InlineData(3, "c703")]
    [InlineData(255, "c7ff")]
    [InlineData(256, "c80100")]
    [InlineData(65536, "c900010000")]
    public void Extensions_of_every_header_decode(int length, string headerHex)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        byte[] bytes = Bytes.Concat(Bytes.Hex(headerHex), [0x85], data); // type -123
        foreach (int layout in new[] { 0, 1, 4096 })
        {
            var reader = new MessagePackReader(Layout(bytes, layout));
            reader.PeekType().Should().Be(MessagePackType.Extension);
            var extension = reader.ReadExtension();
            extension.TypeCode.Should().Be(-123);
            extension.Data.ToArray().Should().Equal(data);
            reader.End.Should().BeTrue();

            reader = new MessagePackReader(Layout(bytes, layout));
            reader.ReadExtensionHeader().Should().Be(new ExtensionHeader(-123, (uint)length));
            reader.ReadRaw(length).ToArray().Should().Equal(data);

            reader = new MessagePackReader(Layout(bytes, layout));
            var value = reader.ReadValue();
            value.ExtensionType.Should().Be(-123);
            value.ExtensionData.ToArray().Should().Equal(data);
        }
    }

    [Theory]
    [InlineData("d6ff00000000", 0L, 0u)]
    [InlineData("d6ffffffffff", 4294967295L, 0u)]
    [InlineData("d7ff0000000100000000", 4294967296L, 0u)]
    [InlineData("d7ff1d6f34545bc8cee5", 1539886821L, 123456789u)]
    [InlineData("d7ffee6b27ffffffffff", 17179869183L, 999999999u)]
    [InlineData("c70cff075bcd15ffffffffffffffff", -1L, 123456789u)]
    [InlineData("c70cff000000000000000400000000", 17179869184L, 0u)]
    [InlineData("c704ff00000001", 1L, 0u)] // ext 8 carrying the 32-bit form is legal
    public void Timestamps_of_every_form_decode(string hex, long seconds, uint nanoseconds)
    {
        foreach (int layout in new[] { 0, 1 })
        {
            var expected = new MessagePackTimestamp(seconds, nanoseconds);
            Read(Layout(Bytes.Hex(hex), layout), (ref MessagePackReader r) => r.ReadTimestamp()).Should().Be(expected);
            Read(Layout(Bytes.Hex(hex), layout), (ref MessagePackReader r) => r.ReadValue()).Timestamp.Should().Be(expected);
        }
    }

    [Fact]
    public void Timestamp_converts_to_DateTime()
    {
        Read("d7ff1d6f34545bc8cee5", (ref MessagePackReader r) => r.ReadDateTime())
            .Should().Be(new DateTime(2018, 10, 18, 18, 20, 21, DateTimeKind.Utc).AddTicks(1234567));
        ReadFails("c70cff000000007fffffffffffffff", (ref MessagePackReader r) => r.ReadDateTime(), MessagePackDecodeError.InvalidTimestamp);
    }

    [Theory]
    [InlineData("d5ff0000")] // 2 bytes
    [InlineData("c700ff")] // 0 bytes
    [InlineData("c705ff0000000000")] // 5 bytes
    [InlineData("d8ff00000000000000000000000000000000")] // 16 bytes
    [InlineData("d7ffee6b2800000000000")] // nanoseconds = 1e9 in the 64-bit form (truncated too; either way rejected)
    [InlineData("d7ffee6b280000000000")] // nanoseconds = 1e9 in the 64-bit form
    [InlineData("c70cffffffffff0000000000000000")] // nanoseconds = 2^32-1 in the 96-bit form
    public void Invalid_timestamps_are_rejected(string hex)
    {
        var bytes = hex.Length % 2 == 0 ? Bytes.Hex(hex) : Bytes.Hex(hex[..^1]);
        ReadFails(bytes, (ref MessagePackReader r) => r.ReadTimestamp());
        ReadFails(bytes, (ref MessagePackReader r) => r.ReadValue());
    }

    [Fact]
    public void Timestamp_with_nanoseconds_1e9_reports_invalid_timestamp()
    {
        ReadFails("d7ffee6b280000000000", (ref MessagePackReader r) => r.ReadTimestamp(), MessagePackDecodeError.InvalidTimestamp);
        ReadFails("d5ff0000", (ref MessagePackReader r) => r.ReadValue(), MessagePackDecodeError.InvalidTimestamp);
        ReadFails("d405aa", (ref MessagePackReader r) => r.ReadTimestamp(), MessagePackDecodeError.UnexpectedType);
    }

    [Fact]
    public void Reserved_byte_c1_is_rejected_everywhere()
    {
        foreach (var layout in new[] { 0, 1 })
        {
            ReadFails(Layout([0xc1], layout), (ref MessagePackReader r) => r.ReadValue(), MessagePackDecodeError.ReservedCode);
            ReadFails(Layout([0xc1], layout), (ref MessagePackReader r) => r.Skip(), MessagePackDecodeError.ReservedCode);
            ReadFails(Layout([0xc1], layout), (ref MessagePackReader r) => r.ReadInt64(), MessagePackDecodeError.ReservedCode);
            ReadFails(Layout([0xc1], layout), (ref MessagePackReader r) => r.ReadString(), MessagePackDecodeError.ReservedCode);
            ReadFails(Layout([0x92, 0x01, 0xc1], layout), (ref MessagePackReader r) => r.ReadValue(), MessagePackDecodeError.ReservedCode);
        }

        var reader = new MessagePackReader(new byte[] { 0xc1 });
        reader.PeekType().Should().Be(MessagePackType.Invalid);
    }

    [Fact]
    public void Wrong_types_are_reported_with_position()
    {
        var error = ReadFails("92 01 a0", (ref MessagePackReader r) =>
        {
            r.ReadArrayHeader();
            r.ReadInt32();
            return r.ReadBoolean();
        }, MessagePackDecodeError.UnexpectedType);
        error.Position.Should().Be(2);
        error.Message.Should().Contain("boolean");
    }

    [Fact]
    public void Every_strict_prefix_of_a_valid_encoding_is_truncated()
    {
        var bytes = Bytes.Encode(MessagePackValue.FromArray(
            MessagePackValue.FromInteger(long.MinValue),
            MessagePackValue.FromFloat64(2.5),
            MessagePackValue.FromString(new string('s', 40)),
            MessagePackValue.FromBinary(new byte[300]),
            MessagePackValue.FromExtension(7, new byte[20]),
            MessagePackValue.FromTimestamp(new MessagePackTimestamp(-5, 5)),
            MessagePackValue.FromMap([new(MessagePackValue.FromString("k"), MessagePackValue.FromArray(Enumerable.Repeat(MessagePackValue.Nil, 20).ToArray()))])));
        for (int length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            foreach (int layout in new[] { 0, 3 })
            {
                ReadFails(Layout(prefix, layout), (ref MessagePackReader r) => r.ReadValue(), MessagePackDecodeError.Truncated);
                ReadFails(Layout(prefix, layout), (ref MessagePackReader r) => r.Skip(), MessagePackDecodeError.Truncated);
            }
        }
    }

    [Fact]
    public void Skip_and_ReadRaw_move_past_exactly_one_value()
    {
        var value = new RandomValues(7, allowLarge: false).Next(maxDepth: 6);
        byte[] one = Bytes.Encode(value);
        byte[] input = Bytes.Concat(one, [0x2a]);
        foreach (int layout in new[] { 0, 1, 5 })
        {
            var reader = new MessagePackReader(Layout(input, layout));
            reader.Skip();
            reader.Consumed.Should().Be(one.Length);
            reader.ReadInt32().Should().Be(42);

            reader = new MessagePackReader(Layout(input, layout));
            reader.ReadRaw().ToArray().Should().Equal(one);
            reader.RemainingSequence.ToArray().Should().Equal([0x2a]);
        }
    }

    [Fact]
    public void Peek_reader_does_not_move_the_original()
    {
        var reader = new MessagePackReader(Bytes.Hex("0102"));
        var peek = reader.CreatePeekReader();
        peek.ReadInt32().Should().Be(1);
        reader.ReadInt32().Should().Be(1);
        reader.ReadInt32().Should().Be(2);
        reader.TryPeekType(out _).Should().BeFalse();
        ReadFails("", (ref MessagePackReader r) => r.PeekType(), MessagePackDecodeError.Truncated);
    }

    [Fact]
    public void Depth_up_to_MaxDepth_is_accepted_and_beyond_is_rejected()
    {
        var options = new MessagePackReaderOptions { MaxDepth = 64 };
        byte[] ok = Bytes.Concat(Bytes.Repeat(0x91, 63), [0x90]); // 64 nested arrays
        byte[] deep = Bytes.Concat(Bytes.Repeat(0x91, 64), [0x90]); // 65 nested arrays
        var reader = new MessagePackReader(ok, options);
        reader.ReadValue();
        reader = new MessagePackReader(ok, options);
        reader.Skip();
        ReadFails(deep, (ref MessagePackReader r) => r.ReadValue(), MessagePackDecodeError.DepthExceeded);
        ReadFails(deep, (ref MessagePackReader r) => r.Skip(), MessagePackDecodeError.DepthExceeded);

        byte[] deepMaps = Bytes.Concat(Enumerable.Repeat(Bytes.Hex("81c0"), 65).SelectMany(b => b).ToArray(), [0xc0]);
        ReadFails(deepMaps, (ref MessagePackReader r) => r.ReadValue(), MessagePackDecodeError.DepthExceeded);
    }

    [Fact]
    public void Nesting_of_ten_thousand_and_a_million_levels_fails_cleanly()
    {
        byte[] tenThousand = Bytes.Concat(Bytes.Repeat(0x91, 10_000), [0xc0]);
        ReadFails(tenThousand, (ref MessagePackReader r) => r.ReadValue(), MessagePackDecodeError.DepthExceeded);

        // Even with the depth limit lifted, the stack guard turns runaway nesting into a typed error.
        var unlimited = new MessagePackReaderOptions { MaxDepth = int.MaxValue };
        byte[] million = Bytes.Concat(Bytes.Repeat(0x91, 1_000_000), [0xc0]);
        var error = ReadFails(new ReadOnlySequence<byte>(million), (ref MessagePackReader r) => r.ReadValue(), MessagePackDecodeError.DepthExceeded, unlimited);
        error.Reason.Should().Contain("stack");
        ReadFails(new ReadOnlySequence<byte>(million), (ref MessagePackReader r) => r.Skip(), MessagePackDecodeError.DepthExceeded, unlimited);
    }

    [Fact]
    public void Length_limits_are_enforced()
    {
        var options = new MessagePackReaderOptions { MaxStringLength = 3, MaxBinaryLength = 3, MaxCollectionLength = 3 };
        ReadOk("a3616263", options);
        ReadOk("c403010203", options);
        ReadOk("c70301010203", options);
        ReadOk("93c0c0c0", options);
        ReadOk("83c0c0c0c0c0c0", options);
        ReadLimit("a461626364", options);
        ReadLimit("c40401020304", options);
        ReadLimit("d60101020304", options);
        ReadLimit("94c0c0c0c0", options);
        ReadLimit("84c0c0c0c0c0c0c0c0", options);

        static void ReadOk(string hex, MessagePackReaderOptions options)
        {
            var reader = new MessagePackReader(Bytes.Hex(hex), options);
            reader.ReadValue();
            reader.End.Should().BeTrue();
        }

        static void ReadLimit(string hex, MessagePackReaderOptions options)
        {
            ReadFails(new ReadOnlySequence<byte>(Bytes.Hex(hex)), (ref MessagePackReader r) => r.ReadValue(), MessagePackDecodeError.LengthLimitExceeded, options);
            ReadFails(new ReadOnlySequence<byte>(Bytes.Hex(hex)), (ref MessagePackReader r) => r.Skip(), MessagePackDecodeError.LengthLimitExceeded, options);
        }
    }

    [Fact]
    public void Total_bytes_limit_is_enforced()
    {
        var options = new MessagePackReaderOptions { MaxTotalBytes = 4 };
        var reader = new MessagePackReader(Bytes.Hex("01 02 03 04 05"), options);
        for (int i = 1; i <= 4; i++)
        {
            reader.ReadInt32().Should().Be(i);
        }

        try
        {
            reader.ReadInt32();
            Assert.Fail("expected MaxTotalBytes to stop the fifth read");
        }
        catch (MessagePackDecodeException e)
        {
            e.Error.Should().Be(MessagePackDecodeError.TotalBytesExceeded);
        }

        ReadFails(new ReadOnlySequence<byte>(Bytes.Hex("a5 6162636465")), (ref MessagePackReader r) => r.ReadString(), MessagePackDecodeError.TotalBytesExceeded, options);
    }

    [Fact]
    public void Collection_claims_beyond_the_remaining_bytes_are_rejected_before_allocating()
    {
        var lenient = new MessagePackReaderOptions { MaxCollectionLength = int.MaxValue };
        ReadFails(new ReadOnlySequence<byte>(Bytes.Hex("ddffffffff")), (ref MessagePackReader r) => r.ReadValue(), MessagePackDecodeError.LengthLimitExceeded);
        ReadFails(new ReadOnlySequence<byte>(Bytes.Hex("dd7fffffff c0c0")), (ref MessagePackReader r) => r.ReadValue(), MessagePackDecodeError.Truncated, lenient);
        ReadFails(new ReadOnlySequence<byte>(Bytes.Hex("df00000003 c0c0c0c0c0")), (ref MessagePackReader r) => r.ReadMapHeader(), MessagePackDecodeError.Truncated, lenient);
        ReadFails(new ReadOnlySequence<byte>(Bytes.Hex("dc0003 c0c0")), (ref MessagePackReader r) => r.ReadArrayHeader(), MessagePackDecodeError.Truncated);

        // A 2^31-element claim followed by a few bytes must not allocate a 2^31-slot array first.
        byte[] claim = Bytes.Hex("dd7fffffff c0c0c0");
        CatchDecode(claim, lenient); // warm up (JIT, exception machinery)
        long before = GC.GetAllocatedBytesForCurrentThread();
        CatchDecode(claim, lenient);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().BeLessThan(64 * 1024, "only the exception itself may be allocated");

        static void CatchDecode(byte[] bytes, MessagePackReaderOptions options)
        {
            try
            {
                var reader = new MessagePackReader(bytes, options);
                reader.ReadValue();
            }
            catch (MessagePackDecodeException)
            {
            }
        }
    }

    [Fact]
    public void Oversized_string_and_binary_claims_fail_as_truncated_or_limited()
    {
        var lenient = new MessagePackReaderOptions { MaxStringLength = int.MaxValue, MaxBinaryLength = int.MaxValue };
        ReadFails(new ReadOnlySequence<byte>(Bytes.Hex("db7fffffff 61")), (ref MessagePackReader r) => r.ReadString(), MessagePackDecodeError.Truncated, lenient);
        ReadFails(new ReadOnlySequence<byte>(Bytes.Hex("c67fffffff 61")), (ref MessagePackReader r) => r.ReadBytes(), MessagePackDecodeError.Truncated, lenient);
        ReadFails(new ReadOnlySequence<byte>(Bytes.Hex("c9ffffffff05 61")), (ref MessagePackReader r) => r.ReadValue(), MessagePackDecodeError.LengthLimitExceeded, lenient);
        ReadFails(new ReadOnlySequence<byte>(Bytes.Hex("c67fffffff 61")), (ref MessagePackReader r) => r.Skip(), MessagePackDecodeError.Truncated, lenient);
    }

    [Fact]
    public void Typed_reads_do_not_allocate()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        for (int i = 0; i < 200; i++)
        {
            writer.WriteArrayHeader(6);
            writer.Write(i * 1_000_003L);
            writer.Write(i * 0.5);
            writer.WriteString("a longer string with é and 😀");
            writer.WriteBinary(new byte[100]);
            writer.WriteTimestamp(new MessagePackTimestamp(i, 7));
            writer.WriteMapHeader(1);
            writer.WriteString("k");
            writer.WriteExtension(3, [1, 2, 3]);
        }

        byte[] data = buffer.WrittenSpan.ToArray();
        ReadAll(data);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long checksum = ReadAll(data);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        checksum.Should().NotBe(0);

        static long ReadAll(byte[] data)
        {
            var reader = new MessagePackReader(data);
            long sum = 0;
            while (!reader.End)
            {
                sum += reader.ReadArrayHeader();
                sum += reader.ReadInt64();
                sum += (long)reader.ReadDouble();
                sum += reader.ReadStringSpan().Length;
                sum += reader.ReadBytes().Length;
                sum += reader.ReadTimestamp().Seconds;
                sum += reader.ReadMapHeader();
                reader.Skip();
                sum += reader.ReadExtension().Data.Length;
            }

            return sum;
        }
    }

    [Fact]
    public void Options_reject_invalid_limits()
    {
        var depth = () => new MessagePackReaderOptions { MaxDepth = 0 };
        var total = () => new MessagePackReaderOptions { MaxTotalBytes = 0 };
        var length = () => new MessagePackReaderOptions { MaxStringLength = -1 };
        depth.Should().Throw<ArgumentOutOfRangeException>();
        total.Should().Throw<ArgumentOutOfRangeException>();
        length.Should().Throw<ArgumentOutOfRangeException>();
        MessagePackReaderOptions.Default.MaxDepth.Should().Be(64);
    }

    internal delegate T ReadFunc<T>(ref MessagePackReader reader);

    internal delegate void ReadAction(ref MessagePackReader reader);

    private static T Read<T>(string hex, ReadFunc<T> read) => Read(new ReadOnlySequence<byte>(Bytes.Hex(hex)), read);

    private static T Read<T>(ReadOnlySequence<byte> input, ReadFunc<T> read)
    {
        var reader = new MessagePackReader(input);
        T value = read(ref reader);
        reader.End.Should().BeTrue();
        return value;
    }

    private static MessagePackDecodeException ReadFails<T>(string hex, ReadFunc<T> read, MessagePackDecodeError? error = null) =>
        ReadFails(new ReadOnlySequence<byte>(Bytes.Hex(hex)), read, error);

    private static MessagePackDecodeException ReadFails<T>(byte[] input, ReadFunc<T> read, MessagePackDecodeError? error = null) =>
        ReadFails(new ReadOnlySequence<byte>(input), read, error);

    private static MessagePackDecodeException ReadFails(string hex, ReadAction read, MessagePackDecodeError? error = null) =>
        ReadFails(new ReadOnlySequence<byte>(Bytes.Hex(hex)), read, error);

    private static MessagePackDecodeException ReadFails(byte[] input, ReadAction read, MessagePackDecodeError? error = null) =>
        ReadFails(new ReadOnlySequence<byte>(input), read, error);

    private static MessagePackDecodeException ReadFails(ReadOnlySequence<byte> input, ReadAction read, MessagePackDecodeError? error = null, MessagePackReaderOptions? options = null) =>
        ReadFails(input, (ref MessagePackReader r) =>
        {
            read(ref r);
            return 0;
        }, error, options);

    private static MessagePackDecodeException ReadFails<T>(ReadOnlySequence<byte> input, ReadFunc<T> read, MessagePackDecodeError? error = null, MessagePackReaderOptions? options = null)
    {
        var reader = new MessagePackReader(input, options);
        try
        {
            read(ref reader);
        }
        catch (MessagePackDecodeException e)
        {
            if (error is not null)
            {
                e.Error.Should().Be(error.Value, e.Message);
            }

            return e;
        }

        throw new Xunit.Sdk.XunitException($"expected a MessagePackDecodeException for {Convert.ToHexStringLower(input.ToArray().AsSpan(0, (int)Math.Min(32, input.Length)))}");
    }
}
