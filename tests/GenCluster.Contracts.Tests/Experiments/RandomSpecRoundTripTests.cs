using GenCluster.Contracts.Experiments;
using GenCluster.Contracts.Tests.Experiments.Support;
using GenCluster.Runtime.Serialization;

namespace GenCluster.Contracts.Tests.Experiments;

/// <summary>Random valid specs through every representation: JSON text, the same text read as YAML, and MessagePack.</summary>
public sealed class RandomSpecRoundTripTests
{
    private const int Specs = 300;

    [Fact]
    public void Random_specs_are_valid_and_survive_json_and_yaml_text()
    {
        var generator = new SpecGenerator(seed: 3);
        for (int i = 0; i < Specs; i++)
        {
            var spec = generator.Next();
            ExperimentSpecValidator.Validate(spec).Should().BeEmpty($"the generator makes valid specs ({i})");

            string json = ExperimentSpecWriter.ToJson(spec);

            ExperimentSpecLoader.Load(json, ExperimentSpecFormat.Json).Should().Be(spec, json);
            ExperimentSpecLoader.Load(json, ExperimentSpecFormat.Yaml).Should().Be(spec, "JSON is YAML too:\n" + json);
        }
    }

    [Fact]
    public void Random_specs_survive_a_messagepack_round_trip_through_the_generated_serializer()
    {
        var generator = new SpecGenerator(seed: 4);
        for (int i = 0; i < Specs; i++)
        {
            var spec = generator.Next();

            byte[] bytes = MessagePackSerializer.Serialize(spec);
            var copy = MessagePackSerializer.Deserialize<ExperimentSpec>(bytes);

            copy.Should().Be(spec);
            copy.Should().NotBeSameAs(spec);
            MessagePackSerializer.Serialize(copy).Should().Equal(bytes, "serialization is deterministic");
        }
    }

    [Theory]
    [MemberData(nameof(Examples.YamlFiles), MemberType = typeof(Examples))]
    public void Example_specs_survive_a_messagepack_round_trip(string file)
    {
        var spec = ExperimentSpecLoader.LoadFile(Examples.PathOf(file));

        MessagePackSerializer.Deserialize<ExperimentSpec>(MessagePackSerializer.Serialize(spec)).Should().Be(spec);
    }

    [Fact]
    public void A_spec_travels_as_a_map_keyed_by_member_ids_so_either_side_may_add_members()
    {
        var spec = ExperimentSpecLoader.LoadFile(Examples.PathOf("fashion-mnist-dcgan-2-silos.yaml"));

        var reader = new GenCluster.MessagePack.MessagePackReader(MessagePackSerializer.Serialize(spec));

        reader.ReadMapHeader().Should().Be(12, "ExperimentSpec has ids 0 to 11");
    }
}
