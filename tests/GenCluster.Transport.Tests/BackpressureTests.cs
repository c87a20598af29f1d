using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace GenCluster.Transport.Tests;

public sealed class BackpressureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_slow_consumer_makes_SendAsync_wait_instead_of_buffering_without_bound()
    {
        const int FrameData = 32 * 1024;
        const int MaxFrames = 4_096; // 128 MiB: far more than every buffer on the way can hold
        using var gate = new SemaphoreSlim(0);
        long nextExpected = 0, outOfOrder = 0;
        var handler = new RecordingHandler
        {
            RecordFrames = false,
            OnFrame = async (_, payload) =>
            {
                if (TestPayload.Verify(payload).Sequence != Interlocked.Read(ref nextExpected))
                {
                    Interlocked.Increment(ref outOfOrder);
                }

                Interlocked.Increment(ref nextExpected);
                if (Interlocked.Read(ref nextExpected) == 1)
                {
                    await gate.WaitAsync(Timeouts.Default); // the consumer stalls after its first frame
                }
            },
        };
        var serverOptions = TestTransport.Options(configure: o => o.MaxFrameSize = 64 * 1024);
        await using var harness = await ServerHarness.StartAsync(handler, serverOptions);
        var clientOptions = TestTransport.Options(configure: o => (o.MaxFrameSize, o.MaxPendingSendBytes) = (64 * 1024, 256 * 1024));
        await using var connection = await harness.ConnectAsync(options: clientOptions);

        int accepted = 0;
        Task blocked = Task.CompletedTask;
        bool sawBackpressure = false;
        for (int i = 0; i < MaxFrames; i++)
        {
            var send = connection.SendAsync(TestPayload.Create(0, i, FrameData)).AsTask();
            if (await Task.WhenAny(send, Task.Delay(500)) != send)
            {
                blocked = send;
                sawBackpressure = true;
                break;
            }

            await send;
            accepted++;
        }

        sawBackpressure.Should().BeTrue("the sender must be held back once the socket, the server's buffer and the send queue are full");
        long acceptedBytes = (long)accepted * FrameData;
        output.WriteLine($"SendAsync started waiting after {accepted} frames ({acceptedBytes / 1024} KiB accepted while the consumer was stalled)");
        acceptedBytes.Should().BeLessThan(48L * 1024 * 1024, "what is accepted is bounded by the queue limit plus socket buffers");

        gate.Release();
        await blocked.WaitAsync(Timeouts.Default);
        await connection.SendAsync(TestPayload.Create(0, accepted + 1, 1));
        var deadline = DateTime.UtcNow + Timeouts.Default;
        while (handler.FramesSeen < accepted + 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        handler.FramesSeen.Should().Be(accepted + 2);
        Interlocked.Read(ref outOfOrder).Should().Be(0);
    }

    [Fact]
    public async Task A_full_send_queue_holds_senders_until_the_transport_drains_it()
    {
        // The connection's own logic, on in-memory pipes: the "socket" side reads nothing until the test says so.
        var toPeer = new Pipe(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
        var fromPeer = new Pipe(new PipeOptions(useSynchronizationContext: false));
        await using var context = new DefaultConnectionContext("test", new DuplexPipe(fromPeer.Reader, toPeer.Writer), new DuplexPipe(toPeer.Reader, fromPeer.Writer));

        // Like a real transport, aborting ends what the connection reads.
        using var onAbort = context.ConnectionClosed.Register(() => fromPeer.Writer.Complete());
        var connection = new FrameConnection(context, TestTransport.SiloIdentity(), new RecordingHandler(), TestTransport.Options(), new TransportStatistics(), TimeProvider.System, NullLogger.Instance, ownsContext: false);
        await connection.StartAsync();

        int completed = 0;
        ValueTask pending = default;
        for (int i = 0; i < 100; i++)
        {
            var send = connection.SendAsync(new byte[16 * 1024]);
            if (!send.IsCompleted)
            {
                pending = send;
                break;
            }

            await send;
            completed++;
        }

        completed.Should().BeInRange(3, 4, "64 KiB of queued frames pauses the writer");
        using var cancel = new CancellationTokenSource();
        var waitingForLock = connection.SendAsync(new byte[10], cancel.Token);
        waitingForLock.IsCompleted.Should().BeFalse("another sender holds the send lock while it waits for room");
        cancel.Cancel();
        var cancelled = () => waitingForLock.AsTask();
        await cancelled.Should().ThrowAsync<OperationCanceledException>();

        // The transport takes everything queued in one read; that frees room, and the waiting sender completes.
        var read = await toPeer.Reader.ReadAsync();
        long drained = read.Buffer.Length;
        toPeer.Reader.AdvanceTo(read.Buffer.End);
        await pending.AsTask().WaitAsync(Timeouts.Default);
        drained.Should().BeGreaterThan(48 * 1024);

        // Closing wakes a sender stuck on a full queue with ConnectionClosedException instead of leaving it hanging.
        ValueTask stuck = default;
        for (int i = 0; i < 100 && stuck.IsCompleted; i++)
        {
            stuck = connection.SendAsync(new byte[16 * 1024]);
        }

        stuck.IsCompleted.Should().BeFalse();
        connection.Abort("test");
        var stuckSend = () => stuck.AsTask().WaitAsync(Timeouts.Default);
        await stuckSend.Should().ThrowAsync<ConnectionClosedException>();
        await connection.Closed.WaitAsync(Timeouts.Default);
    }
}
