using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using GenCluster.MessagePack;

namespace GenCluster.Transport.Tests;

/// <summary>
/// Large blocks written by reference (a tensor argument's array) skip the send pipe and go from their own memory to
/// the socket; large frames are assembled on arrival into arrays the receiver may keep. Shared memory is off here: these
/// are the socket's paths (<see cref="SharedMemoryTests"/> covers the other).
/// </summary>
public sealed class ReferencedFrameTests
{
    private static readonly TransportOptions SocketOnly = TestTransport.Options(configure: o => o.SharedMemory = false);

    private const int LargeData = 300 * 1024; // above the 64 KiB reference size and the 256 KiB assembly size

    private static readonly FrameBodyWriter<(int Sender, long Sequence, ReadOnlyMemory<byte> Data)> WriteReferenced =
        static (ref MessagePackWriter writer, (int Sender, long Sequence, ReadOnlyMemory<byte> Data) state) =>
        {
            writer.WriteArrayHeader(3);
            writer.Write(state.Sender);
            writer.Write(state.Sequence);
            writer.WriteBinaryHeader(state.Data.Length);
            writer.WriteRawByReference(state.Data);
        };

    [Fact]
    public async Task Referenced_frames_arrive_whole_and_in_order_among_small_frames_both_ways()
    {
        const int Senders = 3, FramesPerSender = 40;

        // The server echoes every frame back, large ones by reference to the payload it received (valid while it sends).
        var serverHandler = new RecordingHandler
        {
            RecordFrames = false,
            OnFrame = async (connection, payload) =>
            {
                var (sender, sequence, length) = TestPayload.Verify(payload);
                if (length < LargeData)
                {
                    await connection.SendAsync(payload.ToArray());
                    return;
                }

                OwnedBytes.TryGetOwned(payload, out var _).Should().BeTrue("a large frame is assembled into an array of its own");
                var data = ReadData(payload);
                await connection.SendAsync((sender, sequence, data), WriteReferenced);
            },
        };
        var received = new ConcurrentDictionary<int, List<(long Sequence, int Length, bool Owned)>>();
        var clientHandler = new RecordingHandler
        {
            RecordFrames = false,
            OnFrame = (_, payload) =>
            {
                var (sender, sequence, length) = TestPayload.Verify(payload);
                var list = received.GetOrAdd(sender, _ => []);
                lock (list)
                {
                    list.Add((sequence, length, OwnedBytes.TryGetOwned(payload, out var _)));
                }

                return ValueTask.CompletedTask;
            },
        };
        await using var harness = await ServerHarness.StartAsync(serverHandler, SocketOnly);
        await using var connection = await harness.ConnectAsync(clientHandler, options: SocketOnly);

        // Each sender reuses one array for its large frames: refilled as soon as a send completes, so a send that
        // completed before its block was really out would make the receiver see the next frame's bytes.
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            var large = new byte[LargeData];
            for (long sequence = 0; sequence < FramesPerSender; sequence++)
            {
                if (sequence % 2 == 0)
                {
                    await connection.SendAsync(TestPayload.Create(sender, sequence, 100));
                }
                else
                {
                    TestPayload.Fill(large, sender, sequence);
                    await connection.SendAsync((sender, sequence, (ReadOnlyMemory<byte>)large), WriteReferenced);
                }
            }
        })));

        var deadline = DateTime.UtcNow + Timeouts.Default;
        while (clientHandler.FramesSeen < Senders * FramesPerSender && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        clientHandler.FramesSeen.Should().Be(Senders * FramesPerSender);
        harness.Server.Statistics.BytesSentDirectly.Should().BeGreaterThanOrEqualTo(
            Senders * (FramesPerSender / 2) * (long)LargeData, "every large echo is sent from the received frame itself");
        for (int sender = 0; sender < Senders; sender++)
        {
            var frames = received[sender];
            frames.Select(f => f.Sequence).Should().Equal(Enumerable.Range(0, FramesPerSender).Select(i => (long)i));
            frames.Where(f => f.Sequence % 2 == 1).Should().OnlyContain(f => f.Length == LargeData && f.Owned);
            frames.Where(f => f.Sequence % 2 == 0).Should().OnlyContain(f => f.Length == 100 && !f.Owned);
        }
    }

    [Fact]
    public async Task The_rest_of_a_large_frame_is_received_straight_into_its_array()
    {
        const int Large = 8 * 1024 * 1024;
        var received = new TaskCompletionSource<(int Sender, long Sequence, int Length, bool Owned)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler
        {
            RecordFrames = false,
            OnFrame = (_, payload) =>
            {
                var (sender, sequence, length) = TestPayload.Verify(payload);
                received.TrySetResult((sender, sequence, length, OwnedBytes.TryGetOwned(payload, out var _)));
                return ValueTask.CompletedTask;
            },
        };
        await using var harness = await ServerHarness.StartAsync(handler, SocketOnly);
        await using var connection = await harness.ConnectAsync(options: SocketOnly);

        await connection.SendAsync(TestPayload.Create(5, 1, Large));
        await connection.SendAsync(TestPayload.Create(5, 2, 10)); // the stream goes on through the pipe afterwards

        (await received.Task.WaitAsync(Timeouts.Default)).Should().Be((5, 1L, Large, true));
        var deadline = DateTime.UtcNow + Timeouts.Default;
        while (handler.FramesSeen < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        handler.FramesSeen.Should().Be(2);
        harness.Server.Statistics.BytesReceivedDirectly.Should().BeGreaterThan(Large / 2, "the first socket read is at most 64 KiB; the rest skips the pipe");
    }

    [Fact]
    public async Task A_referenced_block_stays_out_of_the_pipe_and_is_the_callers_own_memory()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0)); // no pause: the test reads after writing
        var body = new FrameBodyBuffer(maxFrameSize: 1024 * 1024);
        var block = new byte[LargeData];
        TestPayload.Fill(block, 4, 7);

        body.Begin(pipe.Writer, 0);
        var writer = new MessagePackWriter(body);
        WriteReferenced(ref writer, (4, 7, block));
        writer.Write(42); // bytes after the block belong to the tail too
        int length = body.Commit(out var tail);
        await pipe.Writer.FlushAsync();

        tail.Should().NotBeNull();
        MemoryMarshal.TryGetArray(tail!.Segments[0], out var first).Should().BeTrue();
        first.Array.Should().BeSameAs(block, "the block is sent from the caller's array, not a copy");
        var head = (await pipe.Reader.ReadAsync()).Buffer;
        head.Length.Should().BeLessThan(64, "only the frame header and the encoded fields before the block go into the pipe");

        var frame = head.ToArray().Concat(tail.Segments.SelectMany(s => s.ToArray())).ToArray();
        tail.Release();
        var sequence = new ReadOnlySequence<byte>(frame);
        new FrameReader(1024 * 1024).TryReadFrame(ref sequence, out var payload).Should().BeTrue();
        payload.Length.Should().Be(length);
        var reader = new MessagePackReader(payload);
        reader.ReadArrayHeader().Should().Be(3);
        reader.ReadInt32().Should().Be(4);
        reader.ReadInt64().Should().Be(7);
        reader.ReadBytes().ToArray().Should().Equal(block);
        reader.ReadInt32().Should().Be(42);
    }

    [Fact]
    public async Task Without_a_direct_sender_a_referenced_block_is_copied_into_the_frame()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0)); // no pause: the test reads after writing
        var body = new FrameBodyBuffer(maxFrameSize: 1024 * 1024);
        var block = new byte[LargeData];
        TestPayload.Fill(block, 2, 3);

        body.Begin(pipe.Writer, 0);
        var writer = new MessagePackWriter(body);
        WriteReferenced(ref writer, (2, 3, block));
        body.Commit();
        await pipe.Writer.FlushAsync();
        block.AsSpan().Clear(); // the pipe holds its own copy

        var buffer = (await pipe.Reader.ReadAsync()).Buffer;
        new FrameReader(1024 * 1024).TryReadFrame(ref buffer, out var payload).Should().BeTrue();
        TestPayload.Verify(payload).Should().Be((2, 3L, LargeData));
    }

    // The data as a slice of the payload itself (one block: the frame was assembled into its own array).
    private static ReadOnlyMemory<byte> ReadData(ReadOnlySequence<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        reader.ReadArrayHeader();
        reader.ReadInt32();
        reader.ReadInt64();
        return reader.ReadBytes().First;
    }
}
