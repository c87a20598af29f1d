using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using GenCluster.MessagePack;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace GenCluster.Transport.Tests;

public sealed class FrameExchangeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Requests_get_their_responses_back_over_one_connection()
    {
        await using var harness = await ServerHarness.StartAsync(RecordingHandler.Echo());
        var responses = new RecordingHandler();
        await using var connection = await harness.ConnectAsync(responses);
        const int RoundTrips = 2_000;

        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < RoundTrips; i++)
        {
            await connection.SendAsync(TestPayload.Create(1, i, 16));
            var response = await responses.ReadFrameAsync();
            TestPayload.Verify(response.Payload).Sequence.Should().Be(i);
        }

        stopwatch.Stop();
        output.WriteLine($"ping-pong: {RoundTrips} round trips in {stopwatch.Elapsed.TotalMilliseconds:F0} ms, " +
                         $"{stopwatch.Elapsed.TotalMicroseconds / RoundTrips:F0} µs each ({RoundTrips / stopwatch.Elapsed.TotalSeconds:F0} round trips/s)");
        harness.Server.Statistics.FramesReceived.Should().Be(RoundTrips);
        harness.Server.Statistics.FramesSent.Should().Be(RoundTrips);
    }

    [Fact]
    public async Task Frames_arrive_in_the_order_they_were_sent()
    {
        const int Frames = 50_000;
        var received = new long[Frames];
        int count = 0;
        var allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler
        {
            RecordFrames = false,
            OnFrame = (_, payload) =>
            {
                int index = Interlocked.Increment(ref count) - 1;
                received[index] = TestPayload.Verify(payload).Sequence;
                if (index == Frames - 1)
                {
                    allReceived.SetResult();
                }

                return ValueTask.CompletedTask;
            },
        };
        await using var harness = await ServerHarness.StartAsync(handler);
        await using var connection = await harness.ConnectAsync();

        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < Frames; i++)
        {
            await connection.SendAsync(i, static (ref MessagePackWriter writer, int sequence) => TestPayload.Write(ref writer, 0, sequence, 48));
        }

        await allReceived.Task.WaitAsync(Timeouts.Default);
        stopwatch.Stop();

        received.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        received[^1].Should().Be(Frames - 1);
        output.WriteLine($"one-way pipelined: {Frames} frames of 56 B in {stopwatch.Elapsed.TotalMilliseconds:F0} ms " +
                         $"({Frames / stopwatch.Elapsed.TotalSeconds:F0} frames/s)");
    }

    [Fact]
    public async Task Concurrent_senders_on_one_connection_never_interleave_frames()
    {
        const int Senders = 8;
        const int FramesPerSender = 1_000;
        var lastSequence = new ConcurrentDictionary<int, long>();
        int outOfOrder = 0, total = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler
        {
            RecordFrames = false,
            OnFrame = (_, payload) =>
            {
                var (sender, sequence, _) = TestPayload.Verify(payload); // throws (closing the connection) on a torn frame
                if (lastSequence.TryGetValue(sender, out var last) && sequence != last + 1)
                {
                    Interlocked.Increment(ref outOfOrder);
                }

                lastSequence[sender] = sequence;
                if (Interlocked.Increment(ref total) == Senders * FramesPerSender)
                {
                    done.SetResult();
                }

                return ValueTask.CompletedTask;
            },
        };
        await using var harness = await ServerHarness.StartAsync(handler);
        await using var connection = await harness.ConnectAsync();

        var senders = Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            for (int i = 0; i < FramesPerSender; i++)
            {
                int length = 1 + ((i * 7919) % 6000); // varying sizes, some spanning pipe segments
                if (i % 2 == 0)
                {
                    await connection.SendAsync(TestPayload.Create(sender, i, length));
                }
                else
                {
                    await connection.SendAsync((sender, i, length), static (ref MessagePackWriter writer, (int Sender, int Sequence, int Length) s) =>
                        TestPayload.Write(ref writer, s.Sender, s.Sequence, s.Length));
                }
            }
        })).ToArray();

        await Task.WhenAll(senders).WaitAsync(Timeouts.Default);
        await done.Task.WaitAsync(Timeouts.Default);
        total.Should().Be(Senders * FramesPerSender);
        outOfOrder.Should().Be(0);
        lastSequence.Values.Should().AllSatisfy(last => last.Should().Be(FramesPerSender - 1));
        harness.Handler.HasDisconnects.Should().BeFalse();
    }

    [Fact]
    public async Task Frames_already_buffered_are_not_handled_after_the_handler_aborts_the_connection()
    {
        // The handler cuts the peer off at its first frame; the other 99 arrived in the same socket write.
        var handler = new RecordingHandler
        {
            OnFrame = static (connection, _) =>
            {
                connection.Abort("test: the first frame is enough");
                return ValueTask.CompletedTask;
            },
        };
        await using var harness = await ServerHarness.StartAsync(handler);
        using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        (await peer.AuthenticateAsync(TestTransport.Secret, TestTransport.SiloIdentity("aborted"))).Accepted.Should().BeTrue();
        var batch = new ArrayBufferWriter<byte>();
        for (int i = 0; i < 100; i++)
        {
            FrameWriter.WriteFrame(batch, new byte[] { 0xc0 }, 1024);
        }

        await peer.SendAsync(batch.WrittenMemory);

        (await peer.WaitForCloseAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        var (_, error) = await handler.WaitDisconnectedAsync(TimeSpan.FromSeconds(10));
        handler.FramesSeen.Should().Be(1);
        error.Should().BeOfType<ConnectionClosedException>().Which.Message.Should().Contain("the first frame is enough");
    }

    [Fact]
    public async Task A_64_MiB_frame_round_trips_intact()
    {
        const int DataLength = 64 * 1024 * 1024;
        var data = new byte[DataLength];
        new Random(64).NextBytes(data);
        var payload = new ArrayBufferWriter<byte>(DataLength + 16);
        new MessagePackWriter(payload).WriteBinary(data);
        var expectedHash = SHA256.HashData(payload.WrittenSpan);

        // The server answers with the same bytes, encoded straight into its send pipe by a body writer.
        await using var harness = await ServerHarness.StartAsync(RecordingHandler.Echo());
        var responses = new RecordingHandler();
        await using var connection = await harness.ConnectAsync(responses);

        var stopwatch = Stopwatch.StartNew();
        await connection.SendAsync(payload.WrittenMemory);
        var echoed = await responses.ReadFrameAsync(TimeSpan.FromSeconds(60));
        stopwatch.Stop();

        echoed.Payload.Length.Should().Be(payload.WrittenCount);
        SHA256.HashData(echoed.Payload).Should().Equal(expectedHash);
        output.WriteLine($"64 MiB frame there and back in {stopwatch.Elapsed.TotalMilliseconds:F0} ms " +
                         $"({2 * 64 / stopwatch.Elapsed.TotalSeconds:F0} MiB/s over loopback)");
    }

    [Fact]
    public async Task A_failing_body_writer_sends_nothing_and_the_connection_stays_usable()
    {
        await using var harness = await ServerHarness.StartAsync(options: TestTransport.Options(configure: o => o.MaxFrameSize = 64 * 1024));
        await using var connection = await harness.ConnectAsync(options: TestTransport.Options(configure: o => o.MaxFrameSize = 64 * 1024));

        var throwing = () => connection.SendAsync(0, static (ref MessagePackWriter writer, int _) =>
        {
            writer.WriteArrayHeader(2);
            writer.Write(1);
            throw new InvalidOperationException("serializer bug");
        }).AsTask();
        var oversized = () => connection.SendAsync(0, static (ref MessagePackWriter writer, int _) => writer.WriteBinary(new byte[100_000])).AsTask();
        var spilledThenOversized = () => connection.SendAsync(0, static (ref MessagePackWriter writer, int _) =>
        {
            for (int i = 0; i < 20; i++)
            {
                writer.WriteBinary(new byte[5_000]);
            }
        }).AsTask();
        var empty = () => connection.SendAsync(0, static (ref MessagePackWriter writer, int _) => { }).AsTask();

        await throwing.Should().ThrowAsync<InvalidOperationException>().WithMessage("serializer bug");
        await oversized.Should().ThrowAsync<ArgumentException>();
        await spilledThenOversized.Should().ThrowAsync<ArgumentException>();
        await empty.Should().ThrowAsync<ArgumentException>();
        await connection.SendAsync(7, static (ref MessagePackWriter writer, int value) => TestPayload.Write(ref writer, value, 1, 40_000));

        var frame = await harness.Handler.ReadFrameAsync();
        TestPayload.Verify(frame.Payload).Should().Be((7, 1L, 40_000));
        connection.IsConnected.Should().BeTrue();
        harness.Server.Statistics.FramesReceived.Should().Be(1);
        harness.Server.Statistics.ProtocolErrors.Should().Be(0);
    }

    [Fact]
    public async Task Empty_or_oversized_payloads_are_rejected_before_anything_is_sent()
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var connection = await harness.ConnectAsync(options: TestTransport.Options(configure: o => o.MaxFrameSize = 1024));

        var empty = () => connection.SendAsync(ReadOnlyMemory<byte>.Empty).AsTask();
        var oversized = () => connection.SendAsync(new byte[1025]).AsTask();

        await empty.Should().ThrowAsync<ArgumentException>();
        await oversized.Should().ThrowAsync<ArgumentException>();
        await connection.SendAsync(TestPayload.Create(1, 1, 8));
        TestPayload.Verify((await harness.Handler.ReadFrameAsync()).Payload).Sequence.Should().Be(1);
    }

    [Fact]
    public async Task Disposing_closes_in_order_and_later_sends_throw_ConnectionClosedException()
    {
        await using var harness = await ServerHarness.StartAsync();
        var clientHandler = new RecordingHandler();
        var connection = await harness.ConnectAsync(clientHandler);
        for (int i = 0; i < 100; i++)
        {
            await connection.SendAsync(TestPayload.Create(1, i, 100));
        }

        await connection.DisposeAsync();

        connection.IsConnected.Should().BeFalse();
        connection.Closed.IsCompletedSuccessfully.Should().BeTrue();
        var send = () => connection.SendAsync(TestPayload.Create(1, 100, 1)).AsTask();
        await send.Should().ThrowAsync<ConnectionClosedException>();
        for (int i = 0; i < 100; i++)
        {
            TestPayload.Verify((await harness.Handler.ReadFrameAsync()).Payload).Sequence.Should().Be(i);
        }

        (await harness.Handler.WaitDisconnectedAsync()).Error.Should().BeNull("the client closed at a frame boundary");
        (await clientHandler.WaitDisconnectedAsync()).Error.Should().BeNull();
    }

    [Fact]
    public async Task Abort_ends_the_connection_on_both_sides_with_the_reason()
    {
        await using var harness = await ServerHarness.StartAsync();
        var clientHandler = new RecordingHandler();
        var connection = await harness.ConnectAsync(clientHandler);
        await harness.Handler.WaitConnectedAsync();

        connection.Abort("test says stop");

        var (_, clientError) = await clientHandler.WaitDisconnectedAsync();
        clientError.Should().BeOfType<ConnectionClosedException>().Which.Message.Should().Contain("test says stop");
        await connection.Closed.WaitAsync(Timeouts.Default);
        var (serverSide, _) = await harness.Handler.WaitDisconnectedAsync();
        serverSide.IsConnected.Should().BeFalse();
        await serverSide.Closed.WaitAsync(Timeouts.Default);
        var send = () => connection.SendAsync(TestPayload.Create(1, 1, 1)).AsTask();
        await send.Should().ThrowAsync<ConnectionClosedException>();
    }

    [Fact]
    public async Task An_oversized_frame_from_an_authenticated_peer_is_a_protocol_error()
    {
        await using var harness = await ServerHarness.StartAsync(options: TestTransport.Options(configure: o => o.MaxFrameSize = 1024));
        using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        (await peer.AuthenticateAsync(TestTransport.Secret, TestTransport.SiloIdentity("raw"))).Accepted.Should().BeTrue();

        await peer.SendAsync(RawPeer.Frame(TestPayload.Create(1, 1, 100)));
        await peer.SendAsync(new byte[] { 0x00, 0x00, 0x04, 0x01 }); // 1025 bytes announced

        TestPayload.Verify((await harness.Handler.ReadFrameAsync()).Payload).Sequence.Should().Be(1);
        var (_, error) = await harness.Handler.WaitDisconnectedAsync();
        error.Should().BeOfType<FrameProtocolException>().Which.Error.Should().Be(MessagePackDecodeError.FrameTooLarge);
        (await peer.WaitForCloseAsync()).Should().BeTrue();
        harness.Server.Statistics.ProtocolErrors.Should().Be(1);
        harness.Logs.AtLeast(LogLevel.Warning).Should().Contain(entry => entry.Message.Contains("FrameTooLarge"));
    }

    [Fact]
    public async Task A_throwing_frame_handler_closes_the_connection_with_its_exception()
    {
        var handler = new RecordingHandler { OnFrame = static (_, _) => throw new InvalidOperationException("handler bug") };
        await using var harness = await ServerHarness.StartAsync(handler);
        var clientHandler = new RecordingHandler();
        await using var connection = await harness.ConnectAsync(clientHandler);

        await connection.SendAsync(TestPayload.Create(1, 1, 1));

        (await harness.Handler.WaitDisconnectedAsync()).Error.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("handler bug");
        await connection.Closed.WaitAsync(Timeouts.Default);
        harness.Logs.AtLeast(LogLevel.Error).Should().ContainSingle(entry => entry.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task A_handler_may_dispose_its_connection_from_inside_a_callback()
    {
        var handler = new RecordingHandler { OnFrame = static async (connection, _) => await connection.DisposeAsync() };
        await using var harness = await ServerHarness.StartAsync(handler);
        var clientHandler = new RecordingHandler();
        await using var connection = await harness.ConnectAsync(clientHandler);

        await connection.SendAsync(TestPayload.Create(1, 1, 1));

        (await harness.Handler.WaitDisconnectedAsync()).Error.Should().BeNull();
        (await clientHandler.WaitDisconnectedAsync()).Error.Should().BeNull();
        await connection.Closed.WaitAsync(Timeouts.Default);
    }

    [Fact]
    public async Task Stopping_the_server_delivers_queued_frames_then_closes_in_order()
    {
        await using var harness = await ServerHarness.StartAsync();
        var clientHandler = new RecordingHandler();
        await using var connection = await harness.ConnectAsync(clientHandler);
        var serverSide = await harness.Handler.WaitConnectedAsync();
        for (int i = 0; i < 200; i++)
        {
            await serverSide.SendAsync(TestPayload.Create(2, i, 1000));
        }

        await harness.Server.StopAsync(CancellationToken.None).WaitAsync(Timeouts.Default);

        for (int i = 0; i < 200; i++)
        {
            TestPayload.Verify((await clientHandler.ReadFrameAsync()).Payload).Sequence.Should().Be(i);
        }

        (await clientHandler.WaitDisconnectedAsync()).Error.Should().BeNull();
        connection.IsConnected.Should().BeFalse();
        harness.Server.Statistics.ActiveConnections.Should().Be(0);
    }
}
