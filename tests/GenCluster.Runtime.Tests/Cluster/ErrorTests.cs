using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;

namespace GenCluster.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ErrorTests(ClusterFixture fixture)
{
    private IErrorGrain Grain => fixture.Client.GetGrain<IErrorGrain>($"errors-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_KeyNotFoundException_arrives_with_its_type_message_and_remote_stack()
    {
        var thrown = await Grain.Invoking(g => g.Throw("key")).Should().ThrowExactlyAsync<KeyNotFoundException>();

        thrown.Which.Message.Should().Be("no such shard");
        thrown.Which.StackTrace.Should().Contain("ErrorGrain.ThrowNow", "the grain's stack travels with the error");
    }

    [Fact]
    public async Task Argument_exceptions_keep_their_parameter_name()
    {
        var argument = await Grain.Invoking(g => g.Throw("argument")).Should().ThrowExactlyAsync<ArgumentException>();
        argument.Which.ParamName.Should().Be("count");
        argument.Which.Message.Should().Be("must be positive (Parameter 'count')");

        var range = await Grain.Invoking(g => g.Throw("range")).Should().ThrowExactlyAsync<ArgumentOutOfRangeException>();
        range.Which.ParamName.Should().Be("step");
    }

    [Fact]
    public async Task Runtime_and_persistence_exceptions_are_rebuilt()
    {
        await Grain.Invoking(g => g.Throw("inconsistent")).Should().ThrowExactlyAsync<InconsistentStateException>().WithMessage("lost the race");
        await Grain.Invoking(g => g.Throw("other")).Should().ThrowExactlyAsync<InvalidOperationException>().WithMessage("bad kind other");
    }

    [Fact]
    public async Task An_exception_type_the_caller_cannot_rebuild_becomes_a_RemoteGrainException()
    {
        var thrown = await Grain.Invoking(g => g.Throw("custom")).Should().ThrowExactlyAsync<RemoteGrainException>();

        thrown.Which.RemoteType.Should().Be(typeof(GrainSpecificException).FullName);
        thrown.Which.Message.Should().Contain("something grain-specific");
        thrown.Which.RemoteStackTrace.Should().Contain("ErrorGrain.ThrowNow");
    }

    [Fact]
    public async Task An_exception_keeps_its_type_across_a_grain_to_grain_hop()
    {
        var thrown = await Grain.Invoking(g => g.ThrowVia($"inner-{Guid.NewGuid():N}", "key")).Should().ThrowExactlyAsync<KeyNotFoundException>();

        thrown.Which.Message.Should().Be("no such shard");
    }

    [Fact]
    public async Task A_failed_activation_fails_the_call_and_is_discarded()
    {
        var grain = fixture.Client.GetGrain<IFailingActivationGrain>($"failing-{Guid.NewGuid():N}");
        int before = FailingActivationGrain.Attempts;

        await grain.Invoking(g => g.Get()).Should().ThrowExactlyAsync<InvalidOperationException>().WithMessage("this grain refuses to activate");
        await grain.Invoking(g => g.Get()).Should().ThrowExactlyAsync<InvalidOperationException>();

        FailingActivationGrain.Attempts.Should().Be(before + 2, "the failed activation was discarded, so the next call tried again");
    }
}
