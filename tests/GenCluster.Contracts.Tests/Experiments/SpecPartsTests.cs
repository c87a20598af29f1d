using GenCluster.Contracts.Experiments;
using GenCluster.Contracts.Experiments.Binding;

namespace GenCluster.Contracts.Tests.Experiments;

public sealed class SpecPartsTests
{
    [Theory]
    [InlineData("silo-a/cpu:0", "silo-a", DeviceKind.Cpu, 0)]
    [InlineData("gpu-node.7/cuda:1023", "gpu-node.7", DeviceKind.Cuda, 1023)]
    [InlineData("S_1/cpu:12", "S_1", DeviceKind.Cpu, 12)]
    public void Device_addresses_parse_and_print_the_same_text(string text, string silo, DeviceKind kind, int index)
    {
        var address = DeviceAddress.Parse(text);

        address.Should().Be(new DeviceAddress(silo, kind, index));
        address.ToString().Should().Be(text);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("silo-a", "not of the form")]
    [InlineData("silo-a/cpu", "not of the form")]
    [InlineData("/cpu:0", "not of the form")]
    [InlineData("a/b/cpu:0", "not of the form")]
    [InlineData("silo-a/CPU:0", "device kind 'CPU'")]
    [InlineData("silo-a/cpu:", "device index ''")]
    [InlineData("silo-a/cpu:-1", "device index '-1'")]
    [InlineData("silo-a/cpu:+1", "device index '+1'")]
    [InlineData("silo-a/cpu:00", "without leading zeros")]
    [InlineData("silo-a/cpu:99999", "device index '99999'")]
    [InlineData("silo-a/cuda:1024", "from 0 to 1023")]
    [InlineData(".silo/cpu:0", "silo name '.silo'")]
    public void Bad_device_addresses_say_why(string text, string reason)
    {
        DeviceAddress.TryParse(text, out var address, out var problem).Should().BeFalse();

        address.Should().BeNull();
        problem.Should().Contain(reason);
        var parse = () => DeviceAddress.Parse(text);
        parse.Should().Throw<FormatException>().WithMessage($"*{reason}*");
    }

    [Fact]
    public void Value_lists_compare_by_items()
    {
        ValueList<int> a = [1, 2, 3];
        var b = ValueList.Create<int>([1, 2, 3]);
        var source = new[] { 1, 2, 3 };
        var c = new ValueList<int>(source);
        source[0] = 99;

        a.Should().Equal(1, 2, 3);
        a.Equals(b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
        c.Should().Equal(1, 2, 3);
        c.Equals((object)a).Should().BeTrue("the list copied its source");
        a.Equals(ValueList.Create<int>([1, 2])).Should().BeFalse();
        new ValueList<int>(null).Should().BeEmpty("null (from hostile wire input) reads as empty");
        new ValueList<int>(null).Equals(ValueList<int>.Empty).Should().BeTrue();
        a.ToString().Should().Be("[1, 2, 3]");
        new NetworkSpec(null, [1, 2]).Should().Be(NetworkSpec.WithWidths(1, 2), "records holding value lists compare by value");
    }

    [Theory]
    [InlineData("batch_size", "batchSize")]
    [InlineData("BatchSize", "batchSize")]
    [InlineData("batchsize", "batchSize")]
    [InlineData("featureMap", "featureMaps")]
    [InlineData("threads-per-worker", "threadsPerWorker")]
    [InlineData("optimiser", "optimizer")]
    [InlineData("seeds", "seed")]
    [InlineData("devcies", "devices")]
    public void Misspelt_keys_get_a_suggestion(string typed, string meant)
    {
        KeySuggestions.Closest(typed, ["name", "batchSize", "featureMaps", "threadsPerWorker", "optimizer", "seed", "devices", "steps"]).Should().Be(meant);
    }

    [Theory]
    [InlineData("colour")]
    [InlineData("x")]
    [InlineData("learningRate")]
    public void Keys_far_from_any_get_no_suggestion(string typed)
    {
        KeySuggestions.Closest(typed, ["name", "batchSize", "steps", "seed", "lr"]).Should().BeNull();
    }
}
