using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;

namespace GenCluster.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class StreamingTests(ClusterFixture fixture)
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_client_receives_every_item_in_order_and_then_the_end()
    {
        var grain = fixture.Client.GetGrain<IStreamGrain>($"stream-{Guid.NewGuid():N}");
        var items = new List<int>();

        await foreach (int item in grain.Count(50, 1, CancellationToken.None))
        {
            items.Add(item);
        }

        items.Should().Equal(Enumerable.Range(0, 50));
        (await grain.LastOutcome()).Should().Be("completed");
    }

    [Fact]
    public async Task A_grain_streams_to_a_caller_on_another_silo()
    {
        var items = new List<int>();
        foreach (var silo in Cluster.Silos)
        {
            await foreach (int item in silo.GrainFactory.GetGrain<IStreamGrain>($"stream-silo-{Guid.NewGuid():N}").Count(5, 1, CancellationToken.None))
            {
                items.Add(item);
            }
        }

        items.Should().Equal([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    }

    [Fact]
    public async Task An_error_after_some_items_reaches_the_consumer_after_those_items()
    {
        var grain = fixture.Client.GetGrain<IStreamGrain>($"stream-fail-{Guid.NewGuid():N}");
        var items = new List<int>();

        var consume = async () =>
        {
            await foreach (int item in grain.CountThenFail(3))
            {
                items.Add(item);
            }
        };

        await consume.Should().ThrowExactlyAsync<InvalidOperationException>().WithMessage("failed after 3 items");
        items.Should().Equal(0, 1, 2);
    }

    [Fact]
    public async Task A_consumer_that_stops_early_cancels_the_producer()
    {
        var grain = fixture.Client.GetGrain<IStreamGrain>($"stream-stop-{Guid.NewGuid():N}");
        var items = new List<int>();

        await foreach (int item in grain.Count(10_000, 10, CancellationToken.None))
        {
            items.Add(item);
            if (items.Count == 3)
            {
                break;
            }
        }

        items.Should().Equal(0, 1, 2);
        await Cluster.WaitUntilAsync(async () => await grain.LastOutcome() == "cancelled", "the producer was cancelled", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancelling_the_consumer_token_cancels_the_producer()
    {
        var grain = fixture.Client.GetGrain<IStreamGrain>($"stream-cancel-{Guid.NewGuid():N}");
        using var cancellation = new CancellationTokenSource();
        int received = 0;

        var consume = async () =>
        {
            await foreach (int item in grain.Count(10_000, 10, CancellationToken.None).WithCancellation(cancellation.Token))
            {
                if (++received == 2)
                {
                    cancellation.Cancel();
                }
            }
        };

        await consume.Should().ThrowAsync<OperationCanceledException>();
        received.Should().Be(2);
        await Cluster.WaitUntilAsync(async () => await grain.LastOutcome() == "cancelled", "the producer was cancelled", TimeSpan.FromSeconds(5));
    }
}
