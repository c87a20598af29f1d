using GenCluster.CodeGen.Tests.Contracts;
using GenCluster.CodeGen.Tests.Support;
using GenCluster.MessagePack;
using GenCluster.Runtime.Serialization;
using static GenCluster.CodeGen.Tests.Support.RoundTrip;

namespace GenCluster.CodeGen.Tests.Serialization;

/// <summary>An old and a new peer exchange the two versions of a contract.</summary>
public sealed class VersionToleranceTests
{
    [Fact]
    public void An_old_reader_skips_ids_it_does_not_know()
    {
        var newer = new OrderV2 { Quantity = 3, Product = "gpu", Discount = 0.5, Deliveries = [new Point(1, 2), new Point(3, 4)] };

        var older = MessagePackSerializer.Deserialize<OrderV1>(MessagePackSerializer.Serialize(newer));

        older.Quantity.Should().Be(3);
        older.Product.Should().Be("gpu");
    }

    [Fact]
    public void A_new_reader_keeps_initializer_defaults_for_ids_that_are_missing()
    {
        var bytes = MessagePackSerializer.Serialize(new OrderV1 { Quantity = 2, Product = "cpu" });

        var newer = MessagePackSerializer.Deserialize<OrderV2>(bytes);

        newer.Quantity.Should().Be(2);
        newer.Product.Should().Be("cpu");
        newer.Discount.Should().Be(0.25);
        newer.Deliveries.Should().BeEmpty();
    }

    [Fact]
    public void A_missing_constructor_argument_takes_the_parameter_default()
    {
        var bytes = MessagePackSerializer.Serialize(new OrderV1 { Quantity = 2, Product = "cpu" });

        var newer = MessagePackSerializer.Deserialize<OrderRecordV2>(bytes);

        newer.Should().Be(new OrderRecordV2(2, "cpu", Priority: 5));
    }

    [Fact]
    public void A_missing_init_only_member_keeps_its_initializer_value()
    {
        var bytes = MessagePackSerializer.Serialize(new OrderV1 { Quantity = 4, Product = "tpu" });

        var newer = MessagePackSerializer.Deserialize<OrderInitV2>(bytes);

        newer.Quantity.Should().Be(4);
        newer.Channel.Should().Be("web");
    }

    [Fact]
    public void Unknown_ids_holding_nested_values_are_skipped_whole()
    {
        var nested = Map((Int(1), MessagePackValue.FromArray(Map((Str("deep"), MessagePackValue.FromArray(Int(1), Int(2)))), Str("x"))));
        var bytes = Encode(Map(
            (Int(0), Str("acc")),
            (Int(99), nested),
            (Int(1), MessagePackValue.FromFloat64(0.75)),
            (Int(1000), MessagePackValue.FromBinary([1, 2, 3]))));

        var measurement = MessagePackSerializer.Deserialize<Measurement>(bytes);

        measurement.Name.Should().Be("acc");
        measurement.Value.Should().Be(0.75);
        measurement.Color.Should().Be(Color.Green, "id 4 is missing, so the initializer's value stays");
        measurement.Tags.Should().BeEmpty();
    }

    [Fact]
    public void Ids_may_arrive_in_any_order_and_an_empty_map_gives_all_defaults()
    {
        var reversed = Encode(Map((Int(1), Int(-2)), (Int(0), Int(7))));

        MessagePackSerializer.Deserialize<Point>(reversed).Should().Be(new Point(7, -2));
        MessagePackSerializer.Deserialize<Point>(Encode(Map())).Should().Be(new Point(0, 0));
        MessagePackSerializer.Deserialize<Sample>(Encode(Map())).Weight.Should().Be(7);
    }

    [Fact]
    public void A_map_key_that_is_not_an_id_or_a_value_of_the_wrong_type_is_a_decode_error()
    {
        var stringKey = Encode(Map((Str("Name"), Str("x"))));
        var wrongType = Encode(Map((Int(0), Int(5))));

        ((Action)(() => MessagePackSerializer.Deserialize<Measurement>(stringKey))).Should().Throw<MessagePackDecodeException>();
        ((Action)(() => MessagePackSerializer.Deserialize<Measurement>(wrongType))).Should().Throw<MessagePackDecodeException>()
            .Which.Error.Should().Be(MessagePackDecodeError.UnexpectedType);
    }
}
