using GenCluster.CodeGen.Tests.Contracts;
using GenCluster.CodeGen.Tests.Support;
using GenCluster.MessagePack;
using GenCluster.Runtime.Serialization;

namespace GenCluster.CodeGen.Tests.Serialization;

public sealed class GeneratedSerializerTests
{
    [Fact]
    public void A_class_travels_as_a_map_from_member_id_to_value()
    {
        var measurement = new Measurement { Name = "loss", Value = 0.125, Tags = ["train", "d"], Optional = null, Color = Color.Blue };

        var tree = RoundTrip.Tree(MessagePackSerializer.Serialize(measurement));

        tree.Map.Select(e => (long)e.Key.Integer).Should().Equal(0L, 1L, 2L, 3L, 4L);
        tree.Map[0].Value.String.Should().Be("loss");
        tree.Map[1].Value.Float64.Should().Be(0.125);
        tree.Map[2].Value.Array.Select(t => t.String).Should().Equal("train", "d");
        tree.Map[3].Value.Kind.Should().Be(MessagePackValueKind.Nil);
        tree.Map[4].Value.Integer.Should().Be(3);
        RoundTrip.Of(measurement).Should().BeEquivalentTo(measurement);
    }

    [Fact]
    public void A_null_reference_travels_as_nil()
    {
        MessagePackSerializer.Serialize<Measurement?>(null).Should().Equal(MessagePackCode.Nil);
        RoundTrip.Of<Measurement?>(null).Should().BeNull();
        RoundTrip.Of<Point?>(null).Should().BeNull();
    }

    [Fact]
    public void A_struct_cannot_be_nil()
    {
        var read = () => MessagePackSerializer.Deserialize<Tally>(MessagePackSerializer.Nil);

        read.Should().Throw<MessagePackDecodeException>();
    }

    [Fact]
    public void Positional_records_are_constructed_through_their_constructor()
    {
        RoundTrip.Of(new Point(3, -4)).Should().Be(new Point(3, -4));
        var sample = RoundTrip.Of(new Sample("s", [1f, 2f], 11));
        sample.Label.Should().Be("s");
        sample.Values.Should().Equal(1f, 2f);
        sample.Weight.Should().Be(11);
        RoundTrip.Of(new Coordinates(52.52, 13.405)).Should().Be(new Coordinates(52.52, 13.405));
    }

    [Fact]
    public void Float_array_members_travel_as_tensors_inside_the_map()
    {
        var tree = RoundTrip.Tree(MessagePackSerializer.Serialize(new Sample("s", [1f, 2f, 3f])));

        var values = tree.Map.Single(e => e.Key.Integer == 1).Value;
        values.Kind.Should().Be(MessagePackValueKind.Map);
        values.Map.Single(e => e.Key.String == "data").Value.Binary.Length.Should().Be(12);
    }

    [Fact]
    public void Structs_with_fields_round_trip()
    {
        RoundTrip.Of(new Tally { Count = 12, Label = "n" }).Should().Be(new Tally { Count = 12, Label = "n" });
        RoundTrip.Of(default(Tally)).Should().Be(default(Tally));
    }

    [Fact]
    public void Init_only_required_and_private_setters_are_restored()
    {
        var settings = new Settings { Retries = 9, Mode = "slow", Owner = "ops" }.WithTimeout(TimeSpan.FromMinutes(2));

        var back = RoundTrip.Of(settings);

        back.Should().Be(settings);
        back.Timeout.Should().Be(TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void Constructor_parameters_and_settable_members_combine()
    {
        var account = new Account("ada", 1234.5678m) { Currency = "CHF" };

        var back = RoundTrip.Of(account);

        back.Owner.Should().Be("ada");
        back.Balance.Should().Be(1234.5678m);
        back.Currency.Should().Be("CHF");
    }

    [Fact]
    public void Members_of_base_classes_travel_with_the_derived_class_and_non_serialized_ones_do_not()
    {
        var dog = new Dog { Name = "rex", Barks = 3, CachedHash = 99 };

        var tree = RoundTrip.Tree(MessagePackSerializer.Serialize(dog));
        var back = RoundTrip.Of(dog);

        tree.Map.Select(e => (long)e.Key.Integer).Should().BeEquivalentTo([0L, 1L]);
        back.Name.Should().Be("rex");
        back.Barks.Should().Be(3);
        back.CachedHash.Should().Be(0);
    }

    [Fact]
    public void Generic_types_are_serialized_for_each_closed_type()
    {
        var envelope = new Envelope<Measurement> { Kind = "m", Payload = new Measurement { Name = "x" } };

        RoundTrip.Of(envelope).Should().BeEquivalentTo(envelope);
        RoundTrip.Of(new Envelope<int> { Kind = "i", Payload = 5 }).Payload.Should().Be(5);
        RoundTrip.Of(new Envelope<List<Point>> { Payload = [new Point(1, 2)] }).Payload.Should().Equal(new Point(1, 2));
    }

    [Fact]
    public void Enums_marked_for_generation_travel_as_their_underlying_integer()
    {
        RoundTrip.Tree(MessagePackSerializer.Serialize(Color.Blue)).Integer.Should().Be(3);
        RoundTrip.Of(Color.Red).Should().Be(Color.Red);
        RoundTrip.Of((Color)200).Should().Be((Color)200);
    }

    [Fact]
    public void Members_named_like_keywords_round_trip()
    {
        var keywords = new Keywords { @class = 4, @event = "e" };

        var back = RoundTrip.Of(keywords);

        back.@class.Should().Be(4);
        back.@event.Should().Be("e");
    }

    [Fact]
    public void Every_built_in_shape_round_trips_as_a_member()
    {
        var value = new EverythingBuiltIn
        {
            Flag = true, SByte = -5, Byte = 250, Int16 = -30000, UInt16 = 60000, Int32 = -2_000_000_000, UInt32 = 4_000_000_000,
            Int64 = long.MinValue, UInt64 = ulong.MaxValue, Single = 1.25f, Double = -1e300, Decimal = 79.000m, Char = 'λ',
            Text = "text", Bytes = [1, 2], Memory = new byte[] { 3 }, Guid = Guid.NewGuid(),
            DateTime = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc), DateTimeOffset = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
            TimeSpan = TimeSpan.FromMilliseconds(1.5), Day = DayOfWeek.Sunday, NullableInt = 3, Strings = ["a", "b"], List = [1, 2],
            IList = new List<string> { "l" }, IReadOnlyList = [0.5], IReadOnlyCollection = [7L], Enumerable = new[] { "e" },
            Dictionary = new() { ["d"] = 1 }, IReadOnlyDictionary = new Dictionary<int, string> { [2] = "two" },
            IDictionary = new Dictionary<string, double> { ["x"] = 0.5 }, HashSet = ["h"], Pair = new("k", 1),
            Tuple2 = (1, "a"), Tuple3 = (1, "a", 2.5), Tuple4 = (1, "a", 2.5, true), Floats = [1f], Doubles = [2d], Longs = [3L],
            ICollection = new List<int> { 8 },
        };

        var back = RoundTrip.Of(value);

        back.Should().BeEquivalentTo(value, options => options.Excluding(v => v.Memory));
        back.Memory.ToArray().Should().Equal(3);
        back.Decimal.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("79.000");
        RoundTrip.Of(new EverythingBuiltIn()).Should().BeEquivalentTo(new EverythingBuiltIn(), options => options.Excluding(v => v.Memory));
    }

    [Fact]
    public void Self_referencing_types_round_trip_and_hostile_nesting_fails_with_a_typed_error()
    {
        RoundTrip.Of(Chain(20)).Should().BeEquivalentTo(Chain(20), options => options.AllowingInfiniteRecursion());

        var deep = MessagePackSerializer.Serialize(Chain(200));
        var read = () => MessagePackSerializer.Deserialize<Node>(deep);

        read.Should().Throw<MessagePackDecodeException>().Which.Error.Should().Be(MessagePackDecodeError.DepthExceeded);
        DeserializationDepth.Current.Should().Be(0, "every level entered is left, also on failure");
        var generous = new MessagePackReaderOptions { MaxDepth = 500 };
        MessagePackSerializer.Deserialize<Node>(deep, generous).Value.Should().Be(0);
    }

    private static Node Chain(int length)
    {
        Node? head = null;
        for (int i = length - 1; i >= 0; i--)
        {
            head = new Node { Value = i, Next = head };
        }

        return head!;
    }
}
