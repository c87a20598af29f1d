using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using GenCluster.MessagePack;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace GenCluster.Transport.Tests;

/// <summary>
/// Throws random and mutated bytes at a live server over loopback — garbage instead of a handshake, mutated
/// handshakes, garbage after a valid handshake, oversized and truncated frames, slowloris trickles — then checks that
/// every bad connection was closed and counted, and that a good client is still served.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int MaxFrameSize = 64 * 1024;
    private const int LongConnections = 12;
    private const int FramesPerLongConnection = 8_500;
    private const int GarbageHandshakes = 2_000;
    private const int MutatedHandshakes = 1_000;
    private const int GarbageAfterHandshake = 1_000;
    private const int SlowHandshakes = 16;
    private const int SlowFrames = 8;
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromMilliseconds(500);

    private long _framesSent;
    private int _notClosedByServer;

    [Fact]
    public async Task The_server_survives_random_and_mutated_frames_and_still_serves_a_good_client()
    {
        var errors = new ConcurrentBag<Exception>();
        var handler = new FuzzTargetHandler(errors);
        var options = TestTransport.Options(configure: o =>
        {
            o.MaxFrameSize = MaxFrameSize;
            o.HandshakeTimeout = HandshakeTimeout;
            o.ValidatePayloads = true;
        });
        await using var harness = await ServerHarness.StartAsync(handler.Recorder, options);
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(75));
        var stopwatch = Stopwatch.StartNew();

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 24, CancellationToken = budget.Token };
        var longOnes = Task.WhenAll(Enumerable.Range(0, LongConnections).Select(i => Task.Run(() => LongAuthenticatedConnectionAsync(harness, seed: i))));
        var shortOnes = Task.Run(async () =>
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, GarbageHandshakes), parallel, async (i, _) => await GarbageInsteadOfHandshakeAsync(harness, seed: 1_000 + i));
            await Parallel.ForEachAsync(Enumerable.Range(0, MutatedHandshakes), parallel, async (i, _) => await MutatedHandshakeAsync(harness, seed: 2_000 + i));
            await Parallel.ForEachAsync(Enumerable.Range(0, GarbageAfterHandshake), parallel, async (i, _) => await GarbageAfterHandshakeAsync(harness, seed: 3_000 + i));
        });
        var slowOnes = Task.WhenAll(
            Enumerable.Range(0, SlowHandshakes).Select(i => Task.Run(() => SlowHandshakeAsync(harness, seed: 4_000 + i)))
                .Concat(Enumerable.Range(0, SlowFrames).Select(i => Task.Run(() => SlowFrameAfterHandshakeAsync(harness, seed: 5_000 + i)))));
        await Task.WhenAll(longOnes, shortOnes, slowOnes).WaitAsync(budget.Token);
        stopwatch.Stop();

        var statistics = harness.Server.Statistics;
        output.WriteLine($"fuzz: {_framesSent} frames in {stopwatch.Elapsed.TotalSeconds:F1} s; server: {statistics}");
        Interlocked.Read(ref _framesSent).Should().BeGreaterThanOrEqualTo(100_000);
        _notClosedByServer.Should().Be(0, "every bad connection must be closed by the server");
        statistics.ConnectionsRefused.Should().BeGreaterThanOrEqualTo(GarbageHandshakes + SlowHandshakes);
        statistics.HandshakeTimeouts.Should().BeGreaterThanOrEqualTo(SlowHandshakes);
        statistics.ProtocolErrors.Should().BeGreaterThanOrEqualTo(LongConnections + SlowFrames);
        statistics.FramesReceived.Should().BeGreaterThanOrEqualTo(LongConnections * (long)FramesPerLongConnection);
        errors.Should().BeEmpty("frames reaching the handler were all well-formed");

        // Every established connection was closed with a typed error (or in order), and none is left open.
        await WaitUntilAsync(() => statistics.ActiveConnections == 0);
        statistics.ActiveConnections.Should().Be(0);
        handler.DisconnectErrors.Should().AllSatisfy(error => error.Should().BeAssignableTo<TransportException>());
        handler.DisconnectErrors.OfType<FrameProtocolException>().Should().HaveCountGreaterThanOrEqualTo(LongConnections + SlowFrames);
        harness.Logs.AtLeast(LogLevel.Warning).Count().Should().BeGreaterThanOrEqualTo(GarbageHandshakes + SlowHandshakes + LongConnections);
        harness.Logs.Entries.Should().NotContain(entry => entry.FullText.Contains(TestTransport.Secret));

        // And the server still does its job.
        var responses = new RecordingHandler();
        await using var good = await harness.ConnectAsync(responses, TestTransport.ClientIdentity(FuzzTargetHandler.GoodClientName));
        for (int i = 0; i < 200; i++)
        {
            await good.SendAsync(TestPayload.Create(9, i, 64));
            TestPayload.Verify((await responses.ReadFrameAsync()).Payload).Sequence.Should().Be(i);
        }
    }

    // Thousands of well-formed random frames, pipelined, then one fatal mutation.
    private async Task LongAuthenticatedConnectionAsync(ServerHarness harness, int seed)
    {
        var random = new Random(seed);
        using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        (await peer.AuthenticateAsync(TestTransport.Secret, TestTransport.SiloIdentity($"long-{seed}"))).Accepted.Should().BeTrue();
        var batch = new ArrayBufferWriter<byte>(64 * 1024);
        for (int i = 0; i < FramesPerLongConnection; i++)
        {
            FrameWriter.WriteFrame(batch, RandomValue(random), MaxFrameSize);
            if (batch.WrittenCount > 32 * 1024)
            {
                await peer.SendAsync(batch.WrittenMemory);
                batch.ResetWrittenCount();
            }
        }

        await peer.SendAsync(batch.WrittenMemory);
        Interlocked.Add(ref _framesSent, FramesPerLongConnection + 1);
        switch (seed % 5)
        {
            case 0: await peer.SendAsync(Header(MaxFrameSize + 1 + random.Next(1_000_000))); break;
            case 1: await peer.SendAsync(Header(0)); break;
            case 2: await peer.SendAsync(RawPeer.Frame([0xc1])); break; // reserved code: not MessagePack
            case 3: await peer.SendAsync(RawPeer.Frame([.. RandomValue(random), 0x01])); break; // a byte after the value
            default:
                await peer.SendAsync(RawPeer.Frame(RandomValue(random))[..^1]); // truncated, then we hang up
                TryShutdownSend(peer);
                break;
        }

        await ExpectServerCloseAsync(peer);
    }

    private async Task GarbageInsteadOfHandshakeAsync(ServerHarness harness, int seed)
    {
        var random = new Random(seed);
        using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        if (random.Next(2) == 0)
        {
            await peer.ReadChallengeAsync();
        }

        int frames = random.Next(1, 6);
        for (int i = 0; i < frames; i++)
        {
            byte[] garbage = random.Next(4) switch
            {
                0 => RandomBytes(random, random.Next(1, 512)),
                1 => RawPeer.Frame(RandomBytes(random, random.Next(1, 300))),
                2 => RawPeer.Frame(RandomValue(random)),
                _ => Header(HandshakeEncoding.MaxFrameSize + random.Next(1, int.MaxValue - HandshakeEncoding.MaxFrameSize)),
            };
            if (!await TrySendAsync(peer, garbage))
            {
                break; // already refused and closed
            }

            Interlocked.Increment(ref _framesSent);
        }

        await ExpectServerCloseAsync(peer);
    }

    private async Task MutatedHandshakeAsync(ServerHarness harness, int seed)
    {
        var random = new Random(seed);
        using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        var challenge = await peer.ReadChallengeAsync();
        var secret = random.Next(5) == 0 ? "wrong-secret" : TestTransport.Secret;
        var frame = RawPeer.Frame(RawPeer.SignedResponse(challenge, secret, TestTransport.SiloIdentity($"mutant-{seed}")), ClientResponse.Write);
        if (secret == TestTransport.Secret)
        {
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                int at = random.Next(4, frame.Length); // the payload, not the length
                frame[at] ^= (byte)(1 << random.Next(8));
            }
        }

        await TrySendAsync(peer, frame);
        Interlocked.Increment(ref _framesSent);
        var verdict = await peer.ReadFrameAsync();
        if (verdict is not null && ServerVerdict.Read(new(verdict)).Accepted)
        {
            // A flip the protocol tolerates (e.g. in the name of a skipped key): a legitimate peer; hang up.
            return;
        }

        await ExpectServerCloseAsync(peer);
    }

    private async Task GarbageAfterHandshakeAsync(ServerHarness harness, int seed)
    {
        var random = new Random(seed);
        using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        (await peer.AuthenticateAsync(TestTransport.Secret, TestTransport.ClientIdentity($"garbage-{seed}"))).Accepted.Should().BeTrue();
        int frames = random.Next(1, 20);
        for (int i = 0; i < frames; i++)
        {
            var garbage = random.Next(3) == 0 ? RandomBytes(random, random.Next(1, 300)) : RawPeer.Frame(RandomBytes(random, random.Next(1, 300)));
            if (!await TrySendAsync(peer, garbage))
            {
                break;
            }

            Interlocked.Increment(ref _framesSent);
        }

        // Whatever was valid was delivered; the rest is a protocol error. Either way the server must end the connection.
        TryShutdownSend(peer);
        await ExpectServerCloseAsync(peer);
    }

    // Slowloris before authenticating: the handshake timeout must cut it off.
    private async Task SlowHandshakeAsync(ServerHarness harness, int seed)
    {
        var random = new Random(seed);
        using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        var challenge = await peer.ReadChallengeAsync();
        var frame = RawPeer.Frame(RawPeer.SignedResponse(challenge, TestTransport.Secret, TestTransport.ClientIdentity()), ClientResponse.Write);
        var started = Stopwatch.StartNew();
        for (int i = 0; i < frame.Length - 1 && started.Elapsed < TimeSpan.FromSeconds(5); i++)
        {
            if (!await TrySendAsync(peer, frame.AsMemory(i, 1)))
            {
                break;
            }

            await Task.Delay(50 + random.Next(50));
        }

        Interlocked.Increment(ref _framesSent);
        await ExpectServerCloseAsync(peer);
        started.Elapsed.Should().BeGreaterThan(HandshakeTimeout * 0.8);
    }

    // Slowloris after authenticating: a frame that never completes, then the peer hangs up mid-frame.
    private async Task SlowFrameAfterHandshakeAsync(ServerHarness harness, int seed)
    {
        var random = new Random(seed);
        using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        (await peer.AuthenticateAsync(TestTransport.Secret, TestTransport.SiloIdentity($"slow-{seed}"))).Accepted.Should().BeTrue();
        await peer.SendAsync(Header(1_000));
        for (int i = 0; i < 10; i++)
        {
            await peer.SendAsync(RandomBytes(random, 5));
            await Task.Delay(30);
        }

        Interlocked.Increment(ref _framesSent);
        TryShutdownSend(peer);
        await ExpectServerCloseAsync(peer);
    }

    private async Task ExpectServerCloseAsync(RawPeer peer)
    {
        if (!await peer.WaitForCloseAsync(TimeSpan.FromSeconds(10)))
        {
            Interlocked.Increment(ref _notClosedByServer);
        }
    }

    // The server may already have refused and reset the connection: that is a success, not a test failure.
    private static async Task<bool> TrySendAsync(RawPeer peer, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await peer.SendAsync(bytes);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void TryShutdownSend(RawPeer peer)
    {
        try
        {
            peer.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The server already dropped the connection.
        }
    }

    private static byte[] Header(long length)
    {
        var header = new byte[MessagePackFrame.HeaderSize];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)length);
        return header;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    // A random well-formed MessagePack value: scalars, strings, binaries, nested arrays and maps.
    private static byte[] RandomValue(Random random)
    {
        var output = new ArrayBufferWriter<byte>(64);
        var writer = new MessagePackWriter(output);
        WriteRandom(ref writer, random, depth: 0);
        return output.WrittenSpan.ToArray();
    }

    private static void WriteRandom(ref MessagePackWriter writer, Random random, int depth)
    {
        switch (random.Next(depth < 3 ? 9 : 7))
        {
            case 0: writer.WriteNil(); break;
            case 1: writer.Write(random.Next(2) == 0); break;
            case 2: writer.Write(random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64)); break;
            case 3: writer.Write(random.NextDouble() * 1e6); break;
            case 4: writer.WriteString(new string((char)('a' + random.Next(26)), random.Next(0, 40))); break;
            case 5: writer.WriteBinary(RandomBytes(random, random.Next(0, 64))); break;
            case 6: writer.Write((ulong)random.NextInt64()); break;
            case 7:
                int count = random.Next(0, 5);
                writer.WriteArrayHeader(count);
                for (int i = 0; i < count; i++)
                {
                    WriteRandom(ref writer, random, depth + 1);
                }

                break;
            default:
                int entries = random.Next(0, 4);
                writer.WriteMapHeader(entries);
                for (int i = 0; i < entries; i++)
                {
                    writer.WriteString($"k{i}");
                    WriteRandom(ref writer, random, depth + 1);
                }

                break;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition() && deadline.Elapsed < Timeouts.Default)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// The server's handler under fuzzing: checks every delivered payload is well-formed, echoes only for the good
    /// client (raw fuzzing peers never read, so echoing to them would just fill their buffers), records disconnect errors.
    /// </summary>
    private sealed class FuzzTargetHandler
    {
        public const string GoodClientName = "good-client";

        private readonly ConcurrentBag<Exception> _errors;
        private readonly ConcurrentBag<Exception> _disconnectErrors = [];

        public FuzzTargetHandler(ConcurrentBag<Exception> errors)
        {
            _errors = errors;
            Recorder = new RecordingHandler
            {
                RecordFrames = false,
                OnFrame = OnFrameAsync,
                OnDisconnect = (_, error) =>
                {
                    if (error is not null)
                    {
                        _disconnectErrors.Add(error);
                    }
                },
            };
        }

        public RecordingHandler Recorder { get; }

        public IReadOnlyCollection<Exception> DisconnectErrors => _disconnectErrors;

        private ValueTask OnFrameAsync(IFrameConnection connection, ReadOnlySequence<byte> payload)
        {
            try
            {
                FrameReader.ValidatePayload(payload);
            }
            catch (MessagePackDecodeException e)
            {
                _errors.Add(e);
            }

            return connection.Remote.Name == GoodClientName
                ? connection.SendAsync(payload, static (ref MessagePackWriter writer, ReadOnlySequence<byte> body) => writer.WriteRaw(body))
                : ValueTask.CompletedTask;
        }
    }
}
