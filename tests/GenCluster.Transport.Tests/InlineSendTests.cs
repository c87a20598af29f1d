using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace GenCluster.Transport.Tests;

/// <summary>
/// Senders carry their flushed bytes to the socket themselves while the send loop is idle, and replies sent from a
/// frame handler are gathered until the receive loop has handed over its whole read. Neither may reorder frames or
/// escape the send queue's limit.
/// </summary>
public sealed class InlineSendTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Replies_from_the_handler_and_sends_from_other_threads_keep_each_senders_order()
    {
        const int ClientSenders = 4, ServerSenders = 2, FramesPerSender = 1_500;
        var sizes = new[] { 8, 200, 3_000, 20_000 };
        var lastSeen = new ConcurrentDictionary<int, long>();
        long received = 0, outOfOrder = 0;
        var clientHandler = new RecordingHandler
        {
            RecordFrames = false,
            OnFrame = (_, payload) =>
            {
                var (sender, sequence, _) = TestPayload.Verify(payload);
                long previous = lastSeen.GetOrAdd(sender, -1);
                if (sequence != previous + 1)
                {
                    Interlocked.Increment(ref outOfOrder);
                }

                lastSeen[sender] = sequence;
                Interlocked.Increment(ref received);
                return ValueTask.CompletedTask;
            },
        };

        // The server echoes from inside its handler (gathered, sent when the read's frames are handed over) while two
        // server-side tasks push frames of their own on the same connection from other threads.
        await using var harness = await ServerHarness.StartAsync(RecordingHandler.Echo());
        await using var connection = await harness.ConnectAsync(clientHandler);
        var serverSide = await harness.Handler.WaitConnectedAsync();

        async Task SendAll(IFrameConnection via, int sender)
        {
            for (int i = 0; i < FramesPerSender; i++)
            {
                await via.SendAsync(TestPayload.Create(sender, i, sizes[(i + sender) % sizes.Length]));
                if (i % 64 == 0)
                {
                    await Task.Yield(); // let the others interleave, with the loop sometimes idle, sometimes busy
                }
            }
        }

        var senders = Enumerable.Range(0, ClientSenders).Select(s => Task.Run(() => SendAll(connection, s)))
            .Concat(Enumerable.Range(100, ServerSenders).Select(s => Task.Run(() => SendAll(serverSide, s))))
            .ToList();
        await Task.WhenAll(senders).WaitAsync(Timeouts.Default);

        long expected = (long)(ClientSenders + ServerSenders) * FramesPerSender;
        var deadline = DateTime.UtcNow + Timeouts.Default;
        while (Interlocked.Read(ref received) < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var stats = harness.Server.Statistics;
        output.WriteLine($"server: {stats.FramesSent} frames sent, {stats.SendsOnSenderThread} flushes carried to the socket by the sender");
        Interlocked.Read(ref received).Should().Be(expected);
        Interlocked.Read(ref outOfOrder).Should().Be(0);
        lastSeen.Should().HaveCount(ClientSenders + ServerSenders).And.OnlyContain(p => p.Value == FramesPerSender - 1);
        stats.SendsOnSenderThread.Should().BeGreaterThan(0, "an idle send loop lets the sender write to the socket itself");
    }

    [Fact]
    public async Task Replies_sent_from_the_handler_still_wait_for_room_when_the_peer_stops_reading()
    {
        const int Requests = 2_000, ReplyBytes = 32 * 1024;
        using var clientGate = new SemaphoreSlim(0);
        long repliesSent = 0, repliesThatWaited = 0;
        var serverHandler = new RecordingHandler
        {
            RecordFrames = false,
            OnFrame = async (connection, payload) =>
            {
                long sequence = TestPayload.Verify(payload).Sequence;
                var send = connection.SendAsync(TestPayload.Create(7, sequence, ReplyBytes));
                if (!send.IsCompleted)
                {
                    Interlocked.Increment(ref repliesThatWaited);
                }

                await send;
                Interlocked.Increment(ref repliesSent);
            },
        };
        long received = 0, outOfOrder = 0;
        var clientHandler = new RecordingHandler
        {
            RecordFrames = false,
            OnFrame = async (_, payload) =>
            {
                if (TestPayload.Verify(payload).Sequence != Interlocked.Read(ref received))
                {
                    Interlocked.Increment(ref outOfOrder);
                }

                if (Interlocked.Increment(ref received) == 1)
                {
                    await clientGate.WaitAsync(Timeouts.Default); // the client stops reading after the first reply
                }
            },
        };
        var limits = TestTransport.Options(configure: o => (o.MaxFrameSize, o.MaxPendingSendBytes) = (64 * 1024, 256 * 1024));
        await using var harness = await ServerHarness.StartAsync(serverHandler, limits);
        await using var connection = await harness.ConnectAsync(clientHandler, options: limits);

        // Small requests, sent from a thread of the test: they fit the socket buffers even while replies pile up.
        var requests = Task.Run(async () =>
        {
            for (int i = 0; i < Requests; i++)
            {
                await connection.SendAsync(TestPayload.Create(1, i, 16));
            }
        });

        // Wait until the replies stop being accepted: the socket buffers and the send queue are full.
        var deadline = DateTime.UtcNow + Timeouts.Default;
        long sentWhileStalled = -1;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(300);
            long now = Interlocked.Read(ref repliesSent);
            if (now == sentWhileStalled && Interlocked.Read(ref repliesThatWaited) > 0)
            {
                break;
            }

            sentWhileStalled = now;
        }

        output.WriteLine($"{sentWhileStalled} replies of {ReplyBytes / 1024} KiB accepted while the client did not read " +
                         $"({Interlocked.Read(ref repliesThatWaited)} had to wait for room)");
        Interlocked.Read(ref repliesThatWaited).Should().BeGreaterThan(0, "the send queue's limit holds for replies sent from a frame handler too");
        sentWhileStalled.Should().BeLessThan(Requests, "a peer that does not read holds the replies back");
        Interlocked.Read(ref received).Should().Be(1);

        clientGate.Release();
        await requests.WaitAsync(Timeouts.Default);
        deadline = DateTime.UtcNow + Timeouts.Default;
        while (Interlocked.Read(ref received) < Requests && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Interlocked.Read(ref received).Should().Be(Requests);
        Interlocked.Read(ref outOfOrder).Should().Be(0);
    }
}
