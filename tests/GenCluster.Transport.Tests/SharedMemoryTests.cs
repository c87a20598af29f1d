using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using GenCluster.MessagePack;

namespace GenCluster.Transport.Tests;

/// <summary>
/// Two silos on one host move large frames through shared-memory segments (<see cref="SharedMemoryLink"/>): the socket
/// carries descriptors in order with the other frames, the receiver reads payloads where they lie and releases them, and
/// whatever does not fit still goes over the socket.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SharedMemoryTests
{
    private const int Large = 300 * 1024;

    [Fact]
    public async Task Large_frames_between_silos_go_through_shared_memory_whole_and_in_order_both_ways()
    {
        const int Senders = 3, FramesPerSender = 40;
        var serverHandler = new RecordingHandler
        {
            RecordFrames = false,
            OnFrame = async (connection, payload) =>
            {
                TestPayload.Verify(payload);
                var copy = payload.ToArray();
                OwnedBytes.Release(payload.First);
                await connection.SendAsync(copy);
            },
        };
        var received = new ConcurrentDictionary<int, List<(long Sequence, int Length, bool Shared)>>();
        var clientHandler = new RecordingHandler
        {
            RecordFrames = false,
            OnFrame = (connection, payload) =>
            {
                var (sender, sequence, length) = TestPayload.Verify(payload);
                var list = received.GetOrAdd(sender, _ => []);
                lock (list)
                {
                    list.Add((sequence, length, InSharedMemory(payload)));
                }

                OwnedBytes.Release(payload.First);
                return ValueTask.CompletedTask;
            },
        };
        var (harness, connection, client) = await ConnectSilosAsync(serverHandler, clientHandler);
        await using var stopServer = harness;
        await using var closeConnection = connection;

        // Alternating small and large frames, the large ones both as encoded payloads and through a body writer.
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            for (long sequence = 0; sequence < FramesPerSender; sequence++)
            {
                if (sequence % 2 == 0)
                {
                    await connection.SendAsync(TestPayload.Create(sender, sequence, 100));
                }
                else if (sequence % 4 == 1)
                {
                    await connection.SendAsync(TestPayload.Create(sender, sequence, Large));
                }
                else
                {
                    await connection.SendAsync((sender, sequence), static (ref MessagePackWriter writer, (int Sender, long Sequence) s) =>
                        TestPayload.Write(ref writer, s.Sender, s.Sequence, Large));
                }
            }
        })));

        await WaitUntilAsync(() => clientHandler.FramesSeen == Senders * FramesPerSender, "every echo arrived");
        long largeBytes = Senders * (FramesPerSender / 2) * (long)Large;
        client.Statistics.BytesSentThroughSharedMemory.Should().BeGreaterThanOrEqualTo(largeBytes, "every large frame fits the 64 MiB segment");
        harness.Server.Statistics.BytesReceivedThroughSharedMemory.Should().Be(client.Statistics.BytesSentThroughSharedMemory);
        harness.Server.Statistics.BytesSentThroughSharedMemory.Should().BeGreaterThanOrEqualTo(largeBytes, "the echoes are large too");
        client.Statistics.BytesReceivedThroughSharedMemory.Should().Be(harness.Server.Statistics.BytesSentThroughSharedMemory);
        for (int sender = 0; sender < Senders; sender++)
        {
            var frames = received[sender];
            frames.Select(f => f.Sequence).Should().Equal(Enumerable.Range(0, FramesPerSender).Select(i => (long)i));
            frames.Where(f => f.Sequence % 2 == 1).Should().OnlyContain(f => f.Length == Large && f.Shared, "a large frame is read where it lies, in the segment");
            frames.Where(f => f.Sequence % 2 == 0).Should().OnlyContain(f => f.Length == 100 && !f.Shared);
        }
    }

    [Fact]
    public async Task Blocks_the_receiver_releases_are_used_again()
    {
        const int Frames = 60; // 60 × 300 KiB = 17.6 MiB through a 1 MiB segment
        using var arrived = new SemaphoreSlim(0);
        var handler = new RecordingHandler
        {
            RecordFrames = false,
            OnFrame = (connection, payload) =>
            {
                TestPayload.Verify(payload);
                OwnedBytes.Release(payload.First);
                arrived.Release();
                return ValueTask.CompletedTask;
            },
        };
        var (harness, connection, client) = await ConnectSilosAsync(handler, new RecordingHandler(), segmentSize: 1024 * 1024);
        await using var stopServer = harness;
        await using var closeConnection = connection;

        for (int i = 0; i < Frames; i++)
        {
            await connection.SendAsync(TestPayload.Create(1, i, Large));
            (await arrived.WaitAsync(Timeouts.Default)).Should().BeTrue($"frame {i} arrives");
        }

        client.Statistics.BytesSentThroughSharedMemory.Should().BeGreaterThanOrEqualTo(Frames * (long)Large, "every frame found a released block");
    }

    [Fact]
    public async Task A_receiver_that_keeps_its_frames_makes_the_rest_go_over_the_socket_and_nothing_is_lost()
    {
        var kept = new ConcurrentQueue<ReadOnlySequence<byte>>();
        var order = new ConcurrentQueue<(long Sequence, bool Shared)>();
        var handler = new RecordingHandler
        {
            RecordFrames = false,
            OnFrame = (connection, payload) =>
            {
                var (_, sequence, _) = TestPayload.Verify(payload);
                order.Enqueue((sequence, InSharedMemory(payload)));
                kept.Enqueue(payload); // not released
                return ValueTask.CompletedTask;
            },
        };
        var (harness, connection, client) = await ConnectSilosAsync(handler, new RecordingHandler(), segmentSize: 1024 * 1024);
        await using var stopServer = harness;
        await using var closeConnection = connection;

        for (int i = 0; i < 8; i++)
        {
            await connection.SendAsync(TestPayload.Create(1, i, Large));
        }

        await connection.SendAsync(TestPayload.Create(1, 8, 2 * 1024 * 1024)); // larger than the whole segment
        await WaitUntilAsync(() => handler.FramesSeen == 9, "every frame arrived");
        order.Select(o => o.Sequence).Should().Equal(Enumerable.Range(0, 9).Select(i => (long)i));
        order.Take(3).Should().OnlyContain(o => o.Shared, "three 300 KiB blocks fit a 1 MiB segment");
        order.Skip(3).Should().OnlyContain(o => !o.Shared, "the segment is full while the receiver keeps its frames");
        harness.Server.Statistics.BytesReceivedThroughSharedMemory.Should().Be(client.Statistics.BytesSentThroughSharedMemory);

        // Released at last: the next large frame goes through shared memory again, and every kept frame is still intact.
        foreach (var payload in kept)
        {
            TestPayload.Verify(payload);
            OwnedBytes.Release(payload.First);
        }

        long before = client.Statistics.BytesSentThroughSharedMemory;
        await connection.SendAsync(TestPayload.Create(1, 9, Large));
        await WaitUntilAsync(() => handler.FramesSeen == 10, "the last frame arrived");
        client.Statistics.BytesSentThroughSharedMemory.Should().BeGreaterThan(before);
        order.Last().Should().Be((9L, true));
    }

    [Fact]
    public async Task Clients_and_silos_with_shared_memory_off_use_the_socket_alone()
    {
        await using var harness = await ServerHarness.StartAsync(RecordingHandler.Echo());

        // A client connection, and a silo that turned the feature off, both with the server's default (on).
        await using var client = await harness.ConnectAsync(new RecordingHandler());
        await using var off = await harness.ConnectAsync(new RecordingHandler(), TestTransport.SiloIdentity("silo-off"), TestTransport.Options(configure: o => o.SharedMemory = false));
        await client.SendAsync(TestPayload.Create(1, 1, Large));
        await off.SendAsync(TestPayload.Create(2, 1, Large));
        await WaitUntilAsync(() => harness.Handler.FramesSeen == 2, "both frames arrived");

        harness.Server.Statistics.SharedMemoryLinks.Should().Be(0);
        harness.Server.Statistics.BytesReceivedThroughSharedMemory.Should().Be(0);
    }

    [Fact]
    public async Task Segment_files_are_gone_once_the_peer_has_mapped_them()
    {
        var (harness, connection, _) = await ConnectSilosAsync(new RecordingHandler(), new RecordingHandler());
        await using (harness)
        await using (connection)
        {
            OurSegmentFiles().Should().BeEmpty("the memory lives on in the two mappings only");
        }

        OurSegmentFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task Control_frames_out_of_turn_or_malformed_close_only_that_connection()
    {
        await using var harness = await ServerHarness.StartAsync(RecordingHandler.Echo());

        // Segments of this process offered to the server; they must exist until it has opened them.
        var segments = Enumerable.Range(0, 4).Select(_ => SharedMemorySegment.Create(SharedMemorySegment.MinimumSize)).ToArray();
        using var disposeSegments = new CompositeDisposable(segments);
        var closing = new (string Case, byte[] Bytes)[]
        {
            ("a frame before any segment was offered", Control(w => ControlFrame.WriteFrame(w, 64, 10))),
            ("an unknown kind", [0x80, 0, 0, 1, 99]),
            ("a control frame over 256 bytes", [0x80, 0, 1, 44, .. new byte[300]]),
            ("an empty control frame", [0x80, 0, 0, 0]),
            ("an accept answered twice", [.. Control(ControlFrame.WriteAccept), .. Control(ControlFrame.WriteAccept)]),
            ("a decline after an accept", [.. Control(ControlFrame.WriteAccept), .. Control(w => ControlFrame.WriteDecline(w, "no"))]),
            ("a second offer", [.. Offer(segments[0]), .. Offer(segments[1])]),
            ("a frame outside the offered segment", [.. Offer(segments[2]), .. Control(w => ControlFrame.WriteFrame(w, segments[2].Size, 10))]),
            ("a frame at a block that was never filled", [.. Offer(segments[3]), .. Control(w => ControlFrame.WriteFrame(w, 64, 10))]),
        };

        foreach (var (name, bytes) in closing)
        {
            using var peer = await ConnectRawSiloAsync(harness);
            await peer.SendAsync(bytes);
            (await peer.WaitForCloseAsync()).Should().BeTrue($"{name} is a protocol error");
        }

        harness.Server.Statistics.ProtocolErrors.Should().BeGreaterThanOrEqualTo(closing.Length);

        // An offer this side cannot open is declined, and the connection goes on over the socket.
        using (var peer = await ConnectRawSiloAsync(harness))
        {
            await peer.SendAsync(Control(w => ControlFrame.WriteOffer(w, SharedMemoryHost.OwnPrefix + "1-missing", SharedMemorySegment.MinimumSize, new byte[16])));
            (await peer.WaitForCloseAsync(Timeouts.Short)).Should().BeFalse("an offer that cannot be opened is declined, not an error");
        }

        harness.Logs.Entries.Should().Contain(e => e.Message.Contains("shared memory is not available", StringComparison.Ordinal));

        // And the server still serves silos that behave.
        var (good, connection, client) = await ConnectSilosAsync(RecordingHandler.Echo(), new RecordingHandler(), segmentSize: 1024 * 1024);
        await using var stopServer = good;
        await using var closeConnection = connection;
        await connection.SendAsync(TestPayload.Create(1, 1, Large));
        await WaitUntilAsync(() => client.Statistics.BytesReceivedThroughSharedMemory >= Large, "the echo came back through shared memory");
    }

    [Fact]
    public void Files_left_by_dead_processes_are_deleted_and_live_ones_kept()
    {
        int deadPid = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim()) + 1;
        var orphan = Path.Combine(SharedMemoryHost.Directory, $"{SharedMemoryHost.OwnPrefix}{deadPid}-test");
        var live = Path.Combine(SharedMemoryHost.Directory, $"{SharedMemoryHost.OwnPrefix}{Environment.ProcessId}-test{Guid.NewGuid():N}");
        File.WriteAllBytes(orphan, [1]);
        File.WriteAllBytes(live, [1]);
        try
        {
            SharedMemoryHost.DeleteOrphans();
            File.Exists(orphan).Should().BeFalse();
            File.Exists(live).Should().BeTrue();
        }
        finally
        {
            File.Delete(orphan);
            File.Delete(live);
        }
    }

    [Fact]
    public void A_segment_is_opened_only_with_its_token_size_and_a_plain_name()
    {
        using var segment = SharedMemorySegment.Create(SharedMemorySegment.MinimumSize);
        var wrongToken = (byte[])segment.Token.Clone();
        wrongToken[0] ^= 1;

        FluentActions.Invoking(() => SharedMemorySegment.Open(segment.Name, segment.Size, wrongToken)).Should().Throw<IOException>().WithMessage("*token*");
        FluentActions.Invoking(() => SharedMemorySegment.Open(segment.Name, segment.Size + 64, segment.Token)).Should().Throw<IOException>().WithMessage("*bytes*");
        FluentActions.Invoking(() => SharedMemorySegment.Open("../../etc/passwd", segment.Size, segment.Token)).Should().Throw<IOException>().WithMessage("*not a segment name*");
        FluentActions.Invoking(() => SharedMemorySegment.Open(SharedMemoryHost.FilePrefix + "1-missing", segment.Size, segment.Token)).Should().Throw<IOException>();

        using var opened = SharedMemorySegment.Open(segment.Name, segment.Size, segment.Token);
        File.Exists(Path.Combine(SharedMemoryHost.Directory, segment.Name)).Should().BeFalse("the receiver deletes the name once mapped");
    }

    [Fact]
    public void A_descriptor_outside_the_segment_or_at_a_free_block_is_refused()
    {
        var sender = new SharedMemoryLink(SharedMemorySegment.MinimumSize * 4, minimumFrameSize: 1);
        var receiver = new SharedMemoryLink(SharedMemorySegment.MinimumSize * 4, minimumFrameSize: 1);
        var segment = sender.CreateOffer()!;
        receiver.OpenPeerSegment(segment.Name, segment.Size, segment.Token);
        sender.OnAccepted();
        try
        {
            sender.TryReserve(1000, out long block, out var destination).Should().BeTrue();
            destination.Fill(7);

            foreach (var (offset, length) in new[] { (block, segment.Size), (segment.Size, 10L), (block + 1, 10L), (0L, 10L), (-64L, 10L), (block, 0L) })
            {
                FluentActions.Invoking(() => receiver.TakeFrame(offset, length, int.MaxValue)).Should().Throw<MessagePackDecodeException>()
                    .Which.Error.Should().Be(MessagePackDecodeError.InvalidFrame);
            }

            FluentActions.Invoking(() => receiver.TakeFrame(block + 4096, 10, int.MaxValue)).Should().Throw<MessagePackDecodeException>().WithMessage("*not filled*");
            var frame = receiver.TakeFrame(block, 1000, int.MaxValue);
            frame.ToArray().Should().OnlyContain(b => b == 7);
            OwnedBytes.Release(frame.First);
        }
        finally
        {
            sender.Close();
            receiver.Close();
        }
    }

    [Fact]
    public void Answers_out_of_turn_and_second_offers_are_protocol_errors_and_a_closed_link_offers_nothing()
    {
        var link = new SharedMemoryLink(SharedMemorySegment.MinimumSize, minimumFrameSize: 1);
        FluentActions.Invoking(link.OnAccepted).Should().Throw<MessagePackDecodeException>().WithMessage("*accepted*None*");
        var segment = link.CreateOffer()!;
        link.CreateOffer().Should().BeNull("one segment per direction");
        var receiver = new SharedMemoryLink(SharedMemorySegment.MinimumSize, minimumFrameSize: 1);
        receiver.OpenPeerSegment(segment.Name, segment.Size, segment.Token);
        FluentActions.Invoking(() => receiver.OpenPeerSegment(segment.Name, segment.Size, segment.Token)).Should().Throw<MessagePackDecodeException>();

        link.OnAccepted();
        link.IsSending.Should().BeTrue();
        FluentActions.Invoking(link.OnDeclined).Should().Throw<MessagePackDecodeException>().WithMessage("*declined*Accepted*");
        FluentActions.Invoking(link.OnAccepted).Should().Throw<MessagePackDecodeException>();

        link.Close();
        link.Close(); // once
        link.IsSending.Should().BeFalse();
        link.TryReserve(100, out _, out _).Should().BeFalse("a closed link sends nothing through its segment");
        receiver.Close();

        var closed = new SharedMemoryLink(SharedMemorySegment.MinimumSize, minimumFrameSize: 1);
        closed.Close();
        closed.CreateOffer().Should().BeNull("the connection closed before the segment existed");
        OurSegmentFiles().Should().NotContain(f => f.EndsWith(segment.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void A_peer_cannot_make_this_side_map_a_fifo_a_symlink_or_an_oversized_file()
    {
        var fifo = $"{SharedMemoryHost.OwnPrefix}{Environment.ProcessId}-fifo{Guid.NewGuid():N}";
        var link = $"{SharedMemoryHost.OwnPrefix}{Environment.ProcessId}-link{Guid.NewGuid():N}";
        var fifoPath = Path.Combine(SharedMemoryHost.Directory, fifo);
        var linkPath = Path.Combine(SharedMemoryHost.Directory, link);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifoPath))
        {
            mkfifo.WaitForExit(10_000).Should().BeTrue();
        }

        File.CreateSymbolicLink(linkPath, "/etc/hostname");
        try
        {
            var token = new byte[16];
            FluentActions.Invoking(() => SharedMemorySegment.Open(fifo, SharedMemorySegment.MinimumSize, token)).Should().Throw<IOException>().WithMessage("*not a regular file*");
            FluentActions.Invoking(() => SharedMemorySegment.Open(link, SharedMemorySegment.MinimumSize, token)).Should().Throw<IOException>().WithMessage("*not a regular file*");
            FluentActions.Invoking(() => SharedMemorySegment.Open(fifo, SharedMemorySegment.MaximumSize + 64, token)).Should().Throw<IOException>().WithMessage("*outside*");
            FluentActions.Invoking(() => SharedMemorySegment.Open(fifo, 0, token)).Should().Throw<IOException>().WithMessage("*outside*");
        }
        finally
        {
            File.Delete(fifoPath);
            File.Delete(linkPath);
        }
    }

    [Fact]
    public void The_allocator_reuses_released_blocks_in_any_order_and_merges_neighbours()
    {
        using var segment = SharedMemorySegment.Create(SharedMemorySegment.HeaderSize + 4 * (64 * 1024 + SegmentAllocator.BlockHeaderSize));
        var allocator = new SegmentAllocator(segment);
        var blocks = new long[4];
        for (int i = 0; i < 4; i++)
        {
            allocator.TryAllocate(64 * 1024, out blocks[i]).Should().BeTrue();
        }

        allocator.TryAllocate(1, out _).Should().BeFalse("the segment is full");

        // Released out of order: the middle two merge into room for a block twice as large.
        SegmentAllocator.Release(segment, blocks[2]);
        SegmentAllocator.Release(segment, blocks[1]);
        allocator.TryAllocate(2 * 64 * 1024, out long merged).Should().BeTrue();
        merged.Should().Be(blocks[1]);

        // What a frame did not need goes back at once.
        SegmentAllocator.Release(segment, blocks[3]);
        allocator.TryAllocate(64 * 1024, out long shrunk).Should().BeTrue();
        allocator.Shrink(shrunk, 100);
        allocator.TryAllocate(32 * 1024, out long after).Should().BeTrue();
        after.Should().BeGreaterThan(shrunk).And.BeLessThan(shrunk + 64 * 1024);
        allocator.Cancel(after);
        allocator.BytesInUse.Should().Be(65_600 + 131_136 + 192, "block 0, the merged block and the shrunk one remain, each with its 64-byte header, in multiples of 64");
    }

    private static async Task<(ServerHarness Harness, IFrameConnection Connection, TransportClient Client)> ConnectSilosAsync(
        RecordingHandler serverHandler, RecordingHandler clientHandler, long segmentSize = 64 * 1024 * 1024)
    {
        var options = TestTransport.Options(configure: o => o.SharedMemorySegmentSize = segmentSize);
        var harness = await ServerHarness.StartAsync(serverHandler, options);
        var client = harness.NewClient(options);
        var connection = await client.ConnectAsync(harness.EndPoint, TestTransport.SiloIdentity("silo-b", 22222), clientHandler, CancellationToken.None).WaitAsync(Timeouts.Default);
        await WaitUntilAsync(() => client.Statistics.SharedMemoryLinks == 2 && harness.Server.Statistics.SharedMemoryLinks == 2, "both directions use shared memory");
        return (harness, connection, client);
    }

    // A raw socket that authenticates as a silo on this host, so the server takes control frames from it.
    private static async Task<RawPeer> ConnectRawSiloAsync(ServerHarness harness)
    {
        var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        var challenge = await peer.ReadChallengeAsync();
        var response = RawPeer.SignedResponse(challenge, TestTransport.Secret, TestTransport.SiloIdentity("raw-silo", 33333)) with { SharedMemoryHost = SharedMemoryHost.Key };
        await peer.SendAsync(RawPeer.Frame(response, ClientResponse.Write));
        var verdict = await peer.ReadVerdictAsync();
        verdict.Accepted.Should().BeTrue();
        verdict.SharedMemoryHost.Should().NotBeNull("the server agrees to shared memory with a silo on its host");
        return peer;
    }

    private static byte[] Control(Action<ArrayBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return output.WrittenSpan.ToArray();
    }

    private sealed class CompositeDisposable(IEnumerable<IDisposable> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }

    private static byte[] Offer(SharedMemorySegment segment) => Control(w => ControlFrame.WriteOffer(w, segment.Name, segment.Size, segment.Token));

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeouts.Default;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        condition().Should().BeTrue($"{what} within {Timeouts.Default.TotalSeconds} s");
    }

    // Owned memory without an array behind it: a block of the peer's segment (a frame assembled from the socket is an array).
    private static bool InSharedMemory(ReadOnlySequence<byte> payload) =>
        payload.IsSingleSegment && MemoryMarshal.TryGetMemoryManager<byte, OwnedBytes>(payload.First, out _) && !MemoryMarshal.TryGetArray(payload.First, out _);

    private static string[] OurSegmentFiles() =>
        Directory.GetFiles(SharedMemoryHost.Directory, $"{SharedMemoryHost.OwnPrefix}{Environment.ProcessId}-*");
}
