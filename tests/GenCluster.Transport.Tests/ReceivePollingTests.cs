namespace GenCluster.Transport.Tests;

/// <summary>
/// Connections between two silos poll their socket for the next bytes while messages come in quick succession
/// (<see cref="TransportOptions.SiloReceivePolling"/>); client connections, idle gaps and a zero setting do not.
/// </summary>
public sealed class ReceivePollingTests
{
    private const int PingPongs = 300;

    [Fact]
    public async Task A_ping_pong_between_silos_is_answered_while_polling()
    {
        // Polls of up to 5 ms: in a test process a socket's completions hop to the thread pool (a silo runs them inline),
        // so one side's handling can take longer than the default 200 µs.
        var options = PollingFor(TimeSpan.FromMilliseconds(5));
        await using var harness = await ServerHarness.StartAsync(RecordingHandler.Echo(), options);

        var client = await BounceAsync(harness, TestTransport.SiloIdentity("silo-b", 22222), PingPongs, options);

        // Each side's next frame follows its own send by the other side's handling only, well inside 5 ms, so most polls
        // are answered; a loaded machine may make some of them wait their whole time. Both sides are in this process,
        // which lets one connection poll at a time: their polls together cover the waits.
        long polls = client.Statistics.ReceivePolls + harness.Server.Statistics.ReceivePolls;
        long answered = client.Statistics.ReceivePollsAnswered + harness.Server.Statistics.ReceivePollsAnswered;
        // (Here 125-200 of the 600 waits were answered, with 250-275 polls; the rest found bytes already there, or the
        // other connection polling.)
        answered.Should().BeGreaterThan(PingPongs / 6, "the side waiting for the next frame polls for it");
        polls.Should().BeLessThanOrEqualTo(2 * PingPongs + 2, "at most one poll per wait for bytes");
    }

    [Fact]
    public async Task Client_connections_and_silos_with_polling_off_sleep_at_once()
    {
        var options = PollingFor(TimeSpan.FromMilliseconds(5));
        await using var harness = await ServerHarness.StartAsync(RecordingHandler.Echo(), options);
        var client = await BounceAsync(harness, TestTransport.ClientIdentity(), PingPongs, options);

        client.Statistics.ReceivePolls.Should().Be(0, "a client process does not poll");
        harness.Server.Statistics.ReceivePolls.Should().Be(0, "nor does the silo for a client's connection");

        var off = await BounceAsync(harness, TestTransport.SiloIdentity("silo-off", 22223), PingPongs,
            TestTransport.Options(configure: o => o.SiloReceivePolling = TimeSpan.Zero));

        off.Statistics.ReceivePolls.Should().Be(0, "polling was turned off on this silo");
        harness.Server.Statistics.ReceivePolls.Should().BeGreaterThan(0, "the other silo polls with its own setting");
    }

    [Fact]
    public async Task An_idle_connection_stops_polling_after_one_long_gap()
    {
        await using var harness = await ServerHarness.StartAsync(RecordingHandler.Echo());
        var client = harness.NewClient();
        var replies = new RecordingHandler();
        await using var connection = await client.ConnectAsync(harness.EndPoint, TestTransport.SiloIdentity("silo-b", 22222), replies, CancellationToken.None)
            .WaitAsync(Timeouts.Default);
        for (int i = 0; i < 20; i++)
        {
            await connection.SendAsync(TestPayload.Create(1, i, 16));
            await replies.ReadFrameAsync();
        }

        await Task.Delay(50);
        long before = harness.Server.Statistics.ReceivePolls;

        // Requests 20 ms apart: the server's first wait polls (its last gap was short) and times out; each later wait
        // follows a long gap and sleeps at once. The echo's own reply wait on the client is short, so it still polls.
        for (int i = 20; i < 30; i++)
        {
            await Task.Delay(20);
            await connection.SendAsync(TestPayload.Create(1, i, 16));
            await replies.ReadFrameAsync();
        }

        (harness.Server.Statistics.ReceivePolls - before).Should().BeLessThanOrEqualTo(1, "only the first gap after the burst is polled");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void Polling_longer_than_10_ms_or_negative_is_refused(int microseconds)
    {
        var options = TestTransport.Options(configure: o => o.SiloReceivePolling = TimeSpan.FromMicroseconds(microseconds));

        var result = new TransportOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(nameof(TransportOptions.SiloReceivePolling));
    }

    // A frame bounces between the two sides: each handler answers from inside its receive loop, as a grain call's reply
    // and the caller's next call do, so each side's next frame follows its own send by the other side's handling only.
    private static RecordingHandler Bouncer(int count, TaskCompletionSource done) => new()
    {
        RecordFrames = false,
        OnFrame = async (connection, payload) =>
        {
            var sequence = TestPayload.Verify(payload).Sequence;
            if (sequence + 1 < count)
            {
                await connection.SendAsync(TestPayload.Create(1, sequence + 1, 100));
            }
            else
            {
                done.TrySetResult();
            }
        },
    };

    // Without shared memory: its offer and answer are frames too, and the counts below are of the test's frames only.
    private static TransportOptions PollingFor(TimeSpan limit) => TestTransport.Options(configure: o =>
    {
        o.SiloReceivePolling = limit;
        o.SharedMemory = false;
    });

    private static async Task<TransportClient> BounceAsync(ServerHarness harness, PeerIdentity identity, int count, TransportOptions? options = null)
    {
        var client = harness.NewClient(options);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = await client.ConnectAsync(harness.EndPoint, identity, Bouncer(count, done), CancellationToken.None)
            .WaitAsync(Timeouts.Default);
        await connection.SendAsync(TestPayload.Create(1, 0, 100));
        await done.Task.WaitAsync(Timeouts.Default);
        return client;
    }
}
