using System.Buffers.Binary;
using GenCluster.CodeGen.Tests.Support;
using GenCluster.MessagePack;
using GenCluster.Runtime.Serialization;

namespace GenCluster.CodeGen.Tests.Serialization;

public sealed class BuiltInSerializerTests
{
    private enum Tiny : sbyte
    {
        Low = -100,
        High = 100,
    }

    private enum Wide : ulong
    {
        Top = ulong.MaxValue,
    }

    [Fact]
    public void Integers_of_every_width_round_trip_at_their_limits()
    {
        RoundTrip.Of(sbyte.MinValue).Should().Be(sbyte.MinValue);
        RoundTrip.Of(sbyte.MaxValue).Should().Be(sbyte.MaxValue);
        RoundTrip.Of(byte.MaxValue).Should().Be(byte.MaxValue);
        RoundTrip.Of(short.MinValue).Should().Be(short.MinValue);
        RoundTrip.Of(ushort.MaxValue).Should().Be(ushort.MaxValue);
        RoundTrip.Of(int.MinValue).Should().Be(int.MinValue);
        RoundTrip.Of(-1).Should().Be(-1);
        RoundTrip.Of(uint.MaxValue).Should().Be(uint.MaxValue);
        RoundTrip.Of(long.MinValue).Should().Be(long.MinValue);
        RoundTrip.Of(long.MaxValue).Should().Be(long.MaxValue);
        RoundTrip.Of(ulong.MaxValue).Should().Be(ulong.MaxValue);
    }

    [Fact]
    public void An_integer_too_large_for_the_target_width_is_a_typed_decode_error()
    {
        var bytes = MessagePackSerializer.Serialize(300);

        var read = () => MessagePackSerializer.Deserialize<byte>(bytes);

        read.Should().Throw<MessagePackDecodeException>().Which.Error.Should().Be(MessagePackDecodeError.IntegerOverflow);
    }

    [Fact]
    public void Booleans_and_floating_point_values_round_trip_bit_for_bit()
    {
        RoundTrip.Of(true).Should().BeTrue();
        RoundTrip.Of(false).Should().BeFalse();
        BitConverter.SingleToInt32Bits(RoundTrip.Of(-0.0f)).Should().Be(BitConverter.SingleToInt32Bits(-0.0f));
        RoundTrip.Of(float.Epsilon).Should().Be(float.Epsilon);
        float.IsNaN(RoundTrip.Of(float.NaN)).Should().BeTrue();
        RoundTrip.Of(double.MaxValue).Should().Be(double.MaxValue);
        RoundTrip.Of(double.NegativeInfinity).Should().Be(double.NegativeInfinity);
        RoundTrip.Tree(MessagePackSerializer.Serialize(1.5f)).Kind.Should().Be(MessagePackValueKind.Float32);
    }

    [Fact]
    public void Decimals_travel_as_invariant_strings_keeping_value_and_scale()
    {
        RoundTrip.Tree(MessagePackSerializer.Serialize(-12.50m)).String.Should().Be("-12.50");
        RoundTrip.Of(0.10m).ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("0.10");
        RoundTrip.Of(decimal.MaxValue).Should().Be(decimal.MaxValue);
        RoundTrip.Of(decimal.MinValue).Should().Be(decimal.MinValue);
        RoundTrip.Of(0.0000000000000000000000000001m).Should().Be(0.0000000000000000000000000001m);

        var notANumber = () => MessagePackSerializer.Deserialize<decimal>(RoundTrip.Encode(RoundTrip.Str("twelve")));
        notANumber.Should().Throw<MessagePackDecodeException>();
    }

    [Fact]
    public void Chars_round_trip_including_lone_surrogates()
    {
        RoundTrip.Of('x').Should().Be('x');
        RoundTrip.Of('\ud800').Should().Be('\ud800');
        RoundTrip.Of(char.MaxValue).Should().Be(char.MaxValue);
    }

    [Fact]
    public void Strings_round_trip_and_null_travels_as_nil()
    {
        RoundTrip.Of("grüße, 世界 🚀").Should().Be("grüße, 世界 🚀");
        RoundTrip.Of(string.Empty).Should().Be(string.Empty);
        MessagePackSerializer.Serialize<string?>(null).Should().Equal(MessagePackCode.Nil);
        RoundTrip.Of<string?>(null).Should().BeNull();
    }

    [Fact]
    public void Bytes_travel_as_bin_and_are_copied_out_of_the_input()
    {
        byte[] payload = [0, 1, 2, 255];
        var bytes = MessagePackSerializer.Serialize(payload);
        RoundTrip.Tree(bytes).Kind.Should().Be(MessagePackValueKind.Binary);

        var read = MessagePackSerializer.Deserialize<byte[]>(bytes);
        bytes.AsSpan().Fill(0x77);

        read.Should().Equal(payload);
        RoundTrip.Of<byte[]?>(null).Should().BeNull();
        RoundTrip.Of(new ReadOnlyMemory<byte>([9, 8, 7])).ToArray().Should().Equal(9, 8, 7);
        RoundTrip.Of(ReadOnlyMemory<byte>.Empty).Length.Should().Be(0);
    }

    [Fact]
    public void Guids_travel_as_bin_16_in_rfc_4122_byte_order()
    {
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

        var bytes = MessagePackSerializer.Serialize(guid);

        Convert.ToHexString(RoundTrip.Tree(bytes).Binary.Span).Should().Be("00112233445566778899AABBCCDDEEFF");
        RoundTrip.Of(guid).Should().Be(guid);
        var tooShort = () => MessagePackSerializer.Deserialize<Guid>(MessagePackSerializer.Serialize(new byte[15]));
        tooShort.Should().Throw<MessagePackDecodeException>();
    }

    [Fact]
    public void DateTimes_travel_as_timestamps_and_read_back_as_the_same_utc_instant()
    {
        var utc = new DateTime(2024, 2, 29, 23, 59, 58, DateTimeKind.Utc).AddTicks(1234567);
        var local = new DateTime(2001, 9, 9, 1, 46, 40, DateTimeKind.Local);

        RoundTrip.Tree(MessagePackSerializer.Serialize(utc)).Kind.Should().Be(MessagePackValueKind.Timestamp);
        RoundTrip.Of(utc).Should().Be(utc);
        RoundTrip.Of(utc).Kind.Should().Be(DateTimeKind.Utc);
        RoundTrip.Of(local).Should().Be(local.ToUniversalTime());
        RoundTrip.Of(new DateTime(1901, 1, 1, 0, 0, 0, DateTimeKind.Utc)).Year.Should().Be(1901);
    }

    [Fact]
    public void DateTimeOffsets_keep_instant_and_offset_as_timestamp_plus_minutes()
    {
        var india = new DateTimeOffset(2023, 6, 1, 12, 30, 15, TimeSpan.FromMinutes(330)).AddTicks(7);
        var pacific = new DateTimeOffset(1999, 12, 31, 23, 0, 0, TimeSpan.FromHours(-8));

        var tree = RoundTrip.Tree(MessagePackSerializer.Serialize(india));

        tree.Array.Should().HaveCount(2);
        tree.Array[0].Timestamp.Should().Be(MessagePackTimestamp.FromDateTime(india.UtcDateTime));
        tree.Array[1].Integer.Should().Be(330);
        var back = RoundTrip.Of(india);
        back.Should().Be(india);
        back.Offset.Should().Be(india.Offset);
        RoundTrip.Of(pacific).Offset.Should().Be(TimeSpan.FromHours(-8));
    }

    [Fact]
    public void TimeSpans_travel_as_int64_ticks()
    {
        RoundTrip.Tree(MessagePackSerializer.Serialize(TimeSpan.FromTicks(-12345))).Integer.Should().Be(-12345);
        RoundTrip.Of(TimeSpan.MaxValue).Should().Be(TimeSpan.MaxValue);
        RoundTrip.Of(TimeSpan.MinValue).Should().Be(TimeSpan.MinValue);
    }

    [Fact]
    public void Enums_travel_as_their_underlying_integer_including_unnamed_values()
    {
        RoundTrip.Tree(MessagePackSerializer.Serialize(DayOfWeek.Friday)).Integer.Should().Be(5);
        RoundTrip.Of(DayOfWeek.Friday).Should().Be(DayOfWeek.Friday);
        RoundTrip.Of((DayOfWeek)42).Should().Be((DayOfWeek)42);
        RoundTrip.Of(Tiny.Low).Should().Be(Tiny.Low);
        RoundTrip.Tree(MessagePackSerializer.Serialize(Wide.Top)).Integer.Should().Be(ulong.MaxValue);
        RoundTrip.Of(Wide.Top).Should().Be(Wide.Top);

        var outOfRange = () => MessagePackSerializer.Deserialize<Tiny>(MessagePackSerializer.Serialize(1000));
        outOfRange.Should().Throw<MessagePackDecodeException>().Which.Error.Should().Be(MessagePackDecodeError.IntegerOverflow);
    }

    [Fact]
    public void Nullable_values_travel_as_the_value_or_nil()
    {
        RoundTrip.Of<int?>(7).Should().Be(7);
        RoundTrip.Of<int?>(null).Should().BeNull();
        MessagePackSerializer.Serialize<Guid?>(null).Should().Equal(MessagePackCode.Nil);
        RoundTrip.Of<TimeSpan?>(TimeSpan.FromSeconds(3)).Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Arrays_round_trip_including_nested_and_null()
    {
        RoundTrip.Of(new[] { "a", null, "c" }).Should().Equal("a", null, "c");
        RoundTrip.Of(new[] { 1, 2, 3 }).Should().Equal(1, 2, 3);
        RoundTrip.Tree(MessagePackSerializer.Serialize(new[] { 1, 2, 3 })).Kind.Should().Be(MessagePackValueKind.Array);
        RoundTrip.Of(new[] { new[] { 1 }, [], new[] { 2, 3 } }).Should().BeEquivalentTo(new[] { new[] { 1 }, [], new[] { 2, 3 } });
        RoundTrip.Of<int[]?>(null).Should().BeNull();
        RoundTrip.Of(Array.Empty<string>()).Should().BeEmpty();
    }

    [Fact]
    public void Lists_and_collection_interfaces_travel_as_arrays_and_read_back_as_lists()
    {
        RoundTrip.Of(new List<string> { "x", "y" }).Should().Equal("x", "y");
        RoundTrip.Of<IList<int>>(new List<int> { 1, 2 }).Should().Equal(1, 2);
        RoundTrip.Of<IReadOnlyList<double>>([0.5, 1.5]).Should().Equal(0.5, 1.5);
        RoundTrip.Of<IReadOnlyCollection<long>>(new HashSet<long> { 5 }).Should().Equal(5L);
        RoundTrip.Of<ICollection<char>>(new LinkedList<char>(['a', 'b'])).Should().Equal('a', 'b');

        // A lazy sequence is materialized once to learn its count.
        var lazy = RoundTrip.Of(Enumerable.Range(1, 4).Select(i => i * i));
        lazy.Should().Equal(1, 4, 9, 16);
        lazy.Should().BeOfType<List<int>>();
        RoundTrip.Tree(MessagePackSerializer.Serialize<IEnumerable<int>>(new[] { 7 })).Array.Should().ContainSingle();
        RoundTrip.Of<IEnumerable<string>?>(null).Should().BeNull();
    }

    [Fact]
    public void Dictionaries_travel_as_maps()
    {
        var counts = new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 };

        RoundTrip.Tree(MessagePackSerializer.Serialize(counts)).Map.Should().HaveCount(2);
        RoundTrip.Of(counts).Should().Equal(counts);
        RoundTrip.Of<IReadOnlyDictionary<int, string>>(new Dictionary<int, string> { [1] = "one" }).Should().Contain(1, "one");
        RoundTrip.Of<IDictionary<string, double>>(new SortedDictionary<string, double> { ["pi"] = 3.14 }).Should().Contain("pi", 3.14);
        RoundTrip.Of<Dictionary<string, int>?>(null).Should().BeNull();
    }

    [Fact]
    public void A_map_with_a_repeated_or_nil_key_is_a_decode_error()
    {
        var repeated = RoundTrip.Encode(RoundTrip.Map((RoundTrip.Str("k"), RoundTrip.Int(1)), (RoundTrip.Str("k"), RoundTrip.Int(2))));
        var nilKey = RoundTrip.Encode(RoundTrip.Map((MessagePackValue.Nil, RoundTrip.Int(1))));

        ((Action)(() => MessagePackSerializer.Deserialize<Dictionary<string, int>>(repeated))).Should().Throw<MessagePackDecodeException>();
        ((Action)(() => MessagePackSerializer.Deserialize<Dictionary<string, int>>(nilKey))).Should().Throw<MessagePackDecodeException>();
    }

    [Fact]
    public void Hash_sets_pairs_and_tuples_round_trip_as_arrays()
    {
        RoundTrip.Of(new HashSet<string> { "p", "q" }).Should().BeEquivalentTo(new[] { "p", "q" });
        var pair = KeyValuePair.Create("key", 9);
        RoundTrip.Tree(MessagePackSerializer.Serialize(pair)).Array.Should().HaveCount(2);
        RoundTrip.Of(pair).Should().Be(pair);
        RoundTrip.Of((1, "two")).Should().Be((1, "two"));
        RoundTrip.Of((1, "two", 3.0)).Should().Be((1, "two", 3.0));
        RoundTrip.Of((1, "two", 3.0, true)).Should().Be((1, "two", 3.0, true));
        RoundTrip.Tree(MessagePackSerializer.Serialize((1, "two", 3.0, true))).Array.Should().HaveCount(4);

        var wrongArity = () => MessagePackSerializer.Deserialize<(int, string)>(MessagePackSerializer.Serialize((1, "two", 3.0)));
        wrongArity.Should().Throw<MessagePackDecodeException>();
    }

    [Fact]
    public void Float_double_and_long_arrays_travel_as_one_dimensional_tensor_maps()
    {
        float[] floats = [1.5f, -2.25f, float.MaxValue];

        var tree = RoundTrip.Tree(MessagePackSerializer.Serialize(floats));

        var entries = tree.Map.ToDictionary(e => e.Key.String, e => e.Value);
        entries.Keys.Should().BeEquivalentTo("nd", "type", "shape", "data");
        entries["nd"].Boolean.Should().BeTrue();
        entries["type"].String.Should().Be("<f4");
        entries["shape"].Array.Select(d => (long)d.Integer).Should().Equal(3L);
        var data = entries["data"].Binary.Span;
        data.Length.Should().Be(12);
        BinaryPrimitives.ReadSingleLittleEndian(data[4..]).Should().Be(-2.25f);

        RoundTrip.Of(floats).Should().Equal(floats);
        RoundTrip.Of(new[] { 0.1, double.MinValue }).Should().Equal(0.1, double.MinValue);
        RoundTrip.Of(new[] { long.MinValue, 0, long.MaxValue }).Should().Equal(long.MinValue, 0, long.MaxValue);
        RoundTrip.Of(Array.Empty<float>()).Should().BeEmpty();
        RoundTrip.Of<float[]?>(null).Should().BeNull();
        RoundTrip.Tree(MessagePackSerializer.Serialize(new[] { 1L })).Map.Should().Contain(e => e.Key.String == "type" && e.Value.String == "<i8");
    }

    [Fact]
    public void Tensor_arrays_also_read_plain_arrays_of_numbers_and_reject_other_tensors()
    {
        var plain = MessagePackSerializer.Serialize(new List<double> { 1, 2.5 });
        MessagePackSerializer.Deserialize<float[]>(plain).Should().Equal(1f, 2.5f);

        var doubles = MessagePackSerializer.Serialize(new[] { 1.0 });
        var wrongType = () => MessagePackSerializer.Deserialize<float[]>(doubles);
        wrongType.Should().Throw<MessagePackDecodeException>().Which.Error.Should().Be(MessagePackDecodeError.InvalidTensor);

        var matrix = RoundTrip.Write2x2Tensor();
        var wrongRank = () => MessagePackSerializer.Deserialize<float[]>(matrix);
        wrongRank.Should().Throw<MessagePackDecodeException>().Which.Error.Should().Be(MessagePackDecodeError.InvalidTensor);
    }

    [Fact]
    public void A_value_followed_by_more_bytes_is_rejected()
    {
        byte[] bytes = [.. MessagePackSerializer.Serialize(1), .. MessagePackSerializer.Serialize(2)];

        var read = () => MessagePackSerializer.Deserialize<int>(bytes);

        read.Should().Throw<MessagePackDecodeException>().Which.Error.Should().Be(MessagePackDecodeError.InvalidFrame);
    }

    [Fact]
    public void A_type_without_a_serializer_fails_with_a_message_that_says_what_to_do()
    {
        var write = () => MessagePackSerializer.Serialize(new Unregistered());

        write.Should().Throw<SerializerNotFoundException>().WithMessage("*Unregistered*[GenerateSerializer]*");
        SerializerRegistry.IsKnown(typeof(Unregistered)).Should().BeFalse();
        SerializerRegistry.IsKnown(typeof(Dictionary<string, List<int?>>)).Should().BeTrue();
    }

    [Fact]
    public void A_serializer_registered_by_hand_is_used_for_its_type()
    {
        SerializerRegistry.Register(new CelsiusSerializer());

        var bytes = MessagePackSerializer.Serialize(new Celsius(21.5));

        RoundTrip.Tree(bytes).String.Should().Be("21.5C");
        RoundTrip.Of(new Celsius(-3)).Should().Be(new Celsius(-3));
    }

    [Fact]
    public void Serialization_buffers_are_reused_per_thread_and_survive_nested_use()
    {
        using (var outer = SerializationBuffer.Rent())
        {
            var writer = new MessagePackWriter(outer);
            writer.WriteArrayHeader(2);
            writer.WriteRaw(MessagePackSerializer.Serialize("nested"));
            writer.WriteRaw(MessagePackSerializer.Serialize(new float[20_000]));
            MessagePackSerializer.Deserialize<(string, float[])>(outer.ToArray()).Item1.Should().Be("nested");
        }

        var first = SerializationBuffer.Rent();
        first.Dispose();
        using var second = SerializationBuffer.Rent();
        second.Should().BeSameAs(first);
        second.WrittenCount.Should().Be(0);
    }

    private sealed class Unregistered
    {
    }

    private readonly record struct Celsius(double Degrees);

    private sealed class CelsiusSerializer : IMessagePackSerializer<Celsius>
    {
        public void Serialize(ref MessagePackWriter writer, Celsius value) =>
            writer.WriteString(value.Degrees.ToString(System.Globalization.CultureInfo.InvariantCulture) + "C");

        public Celsius Deserialize(ref MessagePackReader reader) =>
            new(double.Parse(reader.ReadString().TrimEnd('C'), System.Globalization.CultureInfo.InvariantCulture));
    }
}
