using System.Diagnostics;
using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;

namespace GenCluster.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class TimeoutAndCancellationTests(ClusterFixture fixture)
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_call_without_a_response_in_time_fails_with_a_timeout_and_the_grain_is_told()
    {
        var impatient = await Cluster.ConnectClientAsync(responseTimeout: TimeSpan.FromMilliseconds(500));
        string key = $"timeout-{Guid.NewGuid():N}";
        var grain = impatient.GetGrain<ISlowGrain>(key);
        await grain.SawCancellation();

        var stopwatch = Stopwatch.StartNew();
        var thrown = await grain.Invoking(g => g.Delay(20_000, CancellationToken.None)).Should().ThrowAsync<GrainCallTimeoutException>();
        stopwatch.Stop();

        thrown.Which.Message.Should().Contain("ISlowGrain.Delay").And.Contain(key);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        await Cluster.WaitUntilAsync(() => grain.SawCancellation(), "the grain saw the abandoned call cancelled", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancelling_a_client_call_cancels_the_grain_method()
    {
        var grain = fixture.Client.GetGrain<ISlowGrain>($"cancel-client-{Guid.NewGuid():N}");
        await grain.SawCancellation();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var stopwatch = Stopwatch.StartNew();
        await grain.Invoking(g => g.Delay(20_000, cancellation.Token)).Should().ThrowAsync<OperationCanceledException>();

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        await Cluster.WaitUntilAsync(() => grain.SawCancellation(), "the grain saw the cancellation", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancelling_a_call_between_silos_cancels_the_grain_method()
    {
        var callerSilo = Cluster.Silos[0];
        ISlowGrain? callee = null;
        for (int i = 0; i < 100 && callee is null; i++)
        {
            var candidate = callerSilo.GrainFactory.GetGrain<ISlowGrain>($"cancel-silo-{i}-{Guid.NewGuid():N}");
            if (await candidate.GetSiloName() != callerSilo.Name)
            {
                callee = candidate;
            }
        }

        callee.Should().NotBeNull("some grain lands on another silo than the caller");
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await callee!.Invoking(g => g.Delay(20_000, cancellation.Token)).Should().ThrowAsync<OperationCanceledException>();

        await Cluster.WaitUntilAsync(() => callee!.SawCancellation(), "the grain on the other silo saw the cancellation", TimeSpan.FromSeconds(5));
    }
}
