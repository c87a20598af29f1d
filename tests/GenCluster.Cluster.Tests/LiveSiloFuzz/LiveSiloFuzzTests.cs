using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using GenCluster.Cluster.TestGrains;
using GenCluster.MessagePack;
using GenCluster.Runtime;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Client;
using GenCluster.Runtime.Invocation;
using GenCluster.Runtime.Messaging;
using GenCluster.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using GenCluster.Testing.Processes;

namespace GenCluster.Cluster.Tests.LiveSiloFuzz;

/// <summary>
/// Feeds more than 100,000 hostile frames to one live silo process, before authentication (raw TCP against the
/// handshake) and after it (MessagePack values against the runtime's message decoder), then checks the silo is
/// alive, healthy and serving. Set GENCLUSTER_FUZZ_SEED to replay a run; the seed is printed.
/// </summary>
public sealed class LiveSiloFuzzTests(ITestOutputHelper output)
{
    private const string Secret = "live-silo-fuzz-secret";
    private const string ClusterId = "live-silo-fuzz";
    private const string SiloName = "fuzz-silo";
    private const int RequiredFrames = 100_000;

    // The silo's handshake timeout (TransportOptions default, not configurable from the silo command line) is 5 s:
    // every pre-authentication connection must be closed well within this.
    private static readonly TimeSpan RawConnectionDeadline = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan PostAuthenticationBudget = TimeSpan.FromSeconds(70);
    private static readonly TimeSpan ReplyDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_live_silo_rejects_100000_hostile_frames_with_typed_errors_and_keeps_serving()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("GENCLUSTER_FUZZ_SEED"), CultureInfo.InvariantCulture, out var fixedSeed)
            ? fixedSeed
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (replay with GENCLUSTER_FUZZ_SEED={seed})");

        using var directory = new TemporaryDirectory("gencluster-fuzz");
        using var silo = SiloProcess.Start(SiloName, LoopbackPorts.Free(),
        [
            "--cluster-id", ClusterId,
            "--secret", Secret,
            "--membership-file", directory.File("membership.json"),
            "--storage-dir", directory.File("storage"),
            "--grain-assembly", Path.Combine(AppContext.BaseDirectory, "GenCluster.Cluster.TestGrains.dll"),
            "--Logging:LogLevel:Default=Warning",
        ]);
        await silo.WaitReadyAsync(TimeSpan.FromSeconds(90));
        var endpoint = new IPEndPoint(IPAddress.Loopback, silo.Port);

        // A client connected before the storm, to check it is not disturbed by it.
        await using var before = CreateClient(silo, "before-fuzz");
        await before.ConnectAsync();
        (await before.GetGrain<IProbeGrain>("before-fuzz").Echo([1, 2, 3])).Should().Equal(1, 2, 3);

        var templates = BuildTemplates();
        var clock = Stopwatch.StartNew();
        var preAuthentication = await RunPreAuthenticationLayerAsync(endpoint, seed, templates);
        var postAuthentication = await RunPostAuthenticationLayerAsync(endpoint, seed, templates, RequiredFrames + 2_000 - preAuthentication.Frames);
        clock.Stop();

        var totalFrames = preAuthentication.Frames + postAuthentication.FuzzFrames;
        var rejections = await WaitForRejectionLogAsync(silo, postAuthentication.ClosedBySilo);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuzzed {totalFrames} frames in {clock.Elapsed.TotalSeconds:F1} s; connections closed by the silo: {preAuthentication.ClosedBySilo + postAuthentication.ClosedBySilo.Count}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pre-authentication: {preAuthentication.Connections} connections, {preAuthentication.Frames} frames, {preAuthentication.ClosedBySilo} closed by the silo, verdicts {Describe(preAuthentication.Verdicts)}, {preAuthentication.ClosedWithoutVerdict} closed without a verdict"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"post-authentication: {postAuthentication.Connections} connections, {postAuthentication.FuzzFrames} fuzz frames (+{postAuthentication.ProbeFrames} probe pings), {postAuthentication.ClosedBySilo.Count} closed by the silo, {postAuthentication.Survived} survived; fuzz frames the silo decoded: {postAuthentication.AcceptedFuzzFrames} accepted, {postAuthentication.ClosedBySilo.Count} rejected"));

        // Zero hangs: every connection ended (or answered) within its deadline.
        preAuthentication.Hangs.Should().BeEmpty("the silo must close every unauthenticated connection within its handshake timeout");
        postAuthentication.Hangs.Should().BeEmpty("the silo must answer or drop every authenticated connection");
        postAuthentication.ConnectFailures.Should().BeEmpty("the silo must keep accepting good clients while it is fuzzed");
        totalFrames.Should().BeGreaterThanOrEqualTo(RequiredFrames);

        // Typed rejections before authentication: a refusal verdict naming a known failure, never an acceptance.
        preAuthentication.Accepted.Should().Be(0, "no fuzzed handshake holds the secret");
        preAuthentication.UnknownFailures.Should().BeEmpty("every refusal names a HandshakeFailureKind");
        preAuthentication.MissingVerdicts.Should().BeEmpty("a complete handshake frame, however wrong, is refused with a reason");
        preAuthentication.WrongVerdicts.Should().BeEmpty("deterministic handshake faults are refused for the right reason");
        preAuthentication.ClosedBySilo.Should().Be(preAuthentication.Connections);

        // The silo survived, is healthy, and serves good clients.
        silo.HasExited.Should().BeFalse($"the silo must survive the fuzzing; output tail:\n{Tail(silo.Output)}");
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            using var response = await http.GetAsync(silo.HealthUri);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            health.RootElement.GetProperty("isHealthy").GetBoolean().Should().BeTrue();
        }

        await using (var after = CreateClient(silo, "after-fuzz"))
        {
            await after.ConnectAsync();
            var random = new Random(seed);
            var correct = 0;
            for (var wave = 0; wave < 4; wave++)
            {
                var calls = Enumerable.Range(0, 30).Select(async i =>
                {
                    var payload = new byte[random.Next(0, 2048)];
                    random.NextBytes(payload);
                    var echoed = await after.GetGrain<IProbeGrain>($"after-fuzz-{wave}-{i}").Echo(payload);
                    return echoed.AsSpan().SequenceEqual(payload);
                }).ToList();
                correct += (await Task.WhenAll(calls)).Count(ok => ok);
            }

            correct.Should().Be(120);
            (await after.GetGrain<IProbeGrain>("after-fuzz-name").GetSiloName()).Should().Be(SiloName);
        }

        (await before.GetGrain<IProbeGrain>("before-fuzz").Echo([4, 5, 6])).Should().Equal(4, 5, 6);
        // Typed rejections after authentication: the first reason the silo logged for dropping each connection is an InvalidMessageException
        // (checked last, so a failure here still shows the silo survived and kept serving).
        postAuthentication.ClosedBySilo.Should().NotBeEmpty("most fuzz frames are invalid messages");
        var untyped = postAuthentication.ClosedBySilo.Where(name => !rejections.TryGetValue(name, out var typed) || !typed).Take(10).ToList();
        untyped.Should().BeEmpty(
            "every connection the silo dropped must be logged as an InvalidMessageException (first offenders: {0}); first untyped failure:\n{1}",
            string.Join(", ", untyped), Excerpt(silo.Output, "The frame handler's"));
        var siloOutput = silo.Output;
        siloOutput.Contains("The frame handler's", StringComparison.Ordinal).Should().BeFalse(
            "a frame handler failure is an untyped error:\n{0}", Excerpt(siloOutput, "The frame handler's"));

        foreach (var crash in new[] { "Unhandled exception", "FATAL", "crit:" })
        {
            siloOutput.Contains(crash, StringComparison.Ordinal).Should().BeFalse("the silo must not report a crash:\n{0}", Excerpt(siloOutput, crash));
        }

        silo.HasExited.Should().BeFalse();
    }

    private static ClusterClient CreateClient(SiloProcess silo, string name) => ClusterClient.Create(
        new ClusterClientOptions
        {
            ClusterId = ClusterId,
            ClusterSecret = Secret,
            Tenant = "tests",
            ClientName = name,
            Gateways = [string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{silo.Port}")],
        },
        callOptions: new GrainCallOptions { ResponseTimeout = TimeSpan.FromSeconds(10) });

    /// <summary>Well-formed client messages to mutate, with real argument bytes produced by the generated proxy.</summary>
    private static IReadOnlyList<IReadOnlyList<byte[]>> BuildTemplates()
    {
        RuntimeHelpers.RunModuleConstructor(typeof(IProbeGrain).Module.ModuleHandle);
        var grainType = GrainCodeRegistry.FindImplementation(typeof(IProbeGrain)).GrainType;
        var recorder = new ArgumentRecorder();
        var proxy = (IProbeGrain)GrainCodeRegistry.FindInterface(typeof(IProbeGrain))!.CreateProxy(new GrainId(grainType, "fuzz"), recorder);
        _ = proxy.Echo([1, 2, 3, 4, 5, 6, 7, 8]);
        var echo = recorder.Take();
        _ = proxy.GetSiloName();
        var siloName = recorder.Take();
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["fuzz"] = "1", ["trace"] = "abc" };
        return
        [
            FuzzPayloads.MessageFields(FuzzPayloads.PingKind, 1),
            FuzzPayloads.MessageFields(FuzzPayloads.RequestKind, 2, (grainType, "fuzz-echo"), echo.Method.InterfaceId, echo.Method.MethodId, 5000, headers, echo.Arguments),
            FuzzPayloads.MessageFields(FuzzPayloads.RequestKind, 3, (grainType, "fuzz-name"), siloName.Method.InterfaceId, siloName.Method.MethodId, 5000, null, siloName.Arguments),
            FuzzPayloads.MessageFields(FuzzPayloads.CancelKind, 2, (grainType, "fuzz-echo")),
            FuzzPayloads.MessageFields(FuzzPayloads.RequestKind, 5, ("sys.manifest", string.Empty), timeToLiveMs: 5000),
        ];
    }

    // ---- Layer 1: before authentication, raw TCP against the handshake. ----

    private async Task<PreAuthenticationResult> RunPreAuthenticationLayerAsync(IPEndPoint endpoint, int seed, IReadOnlyList<IReadOnlyList<byte[]>> templates)
    {
        var random = new Random(seed ^ 0x5a5a5a);
        var payloads = new FuzzPayloads(seed ^ 0x3c3c3c, templates);
        var quick = Enumerable.Range(0, 2_000).Select(_ => NextRawAttempt(random, payloads)).ToList();

        // Slow peers: a trickle of one byte per 100 ms, and frames that stop short without hanging up. Both must be
        // timed out by the silo (TimedOut verdict), concurrently with the rest.
        var slow = new List<RawAttempt>();
        for (var i = 0; i < 6; i++)
        {
            slow.Add(new RawAttempt("slowloris", [.. Header(3000), .. payloads.RandomBytes(3000)], 1, HalfClose: false, ExpectVerdict: true, ExpectedFailure: "TimedOut", Trickle: true));
            slow.Add(new RawAttempt("stalled-frame", [.. Header(2000), .. payloads.RandomBytes(200)], 1, HalfClose: false, ExpectVerdict: true, ExpectedFailure: "TimedOut", Trickle: false));
        }

        var outcomes = new ConcurrentBag<RawOutcome>();
        var slowRun = Task.WhenAll(slow.Select(async a => outcomes.Add(await AttackAsync(endpoint, a))));
        await Parallel.ForEachAsync(quick, new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (attempt, _) => outcomes.Add(await AttackAsync(endpoint, attempt)));
        await slowRun;

        var result = new PreAuthenticationResult { Connections = outcomes.Count, Frames = outcomes.Sum(o => o.Attempt.Frames) };
        foreach (var outcome in outcomes)
        {
            var what = $"{outcome.Attempt.Kind} ({outcome.Attempt.Bytes.Length} bytes, {outcome.Elapsed.TotalSeconds:F1} s)";
            if (!outcome.Closed)
            {
                result.Hangs.Add(what);
                continue;
            }

            result.ClosedBySilo++;
            if (outcome.Accepted == true)
            {
                result.Accepted++;
            }
            else if (outcome.Failure is { } failure)
            {
                result.Verdicts[failure] = result.Verdicts.GetValueOrDefault(failure) + 1;
                if (!Enum.TryParse<HandshakeFailureKind>(failure, out var kind) || !Enum.IsDefined(kind))
                {
                    result.UnknownFailures.Add($"{what}: '{failure}'");
                }

                if (outcome.Attempt.ExpectedFailure is { } expected && expected != failure)
                {
                    result.WrongVerdicts.Add($"{what}: expected {expected}, got {failure}");
                }
            }
            else
            {
                result.ClosedWithoutVerdict++;
                if (outcome.Attempt.ExpectVerdict)
                {
                    result.MissingVerdicts.Add($"{what}: closed without a verdict (first server frame: {outcome.FirstFrameType ?? "none"})");
                }
            }
        }

        return result;
    }

    private static RawAttempt NextRawAttempt(Random random, FuzzPayloads payloads)
    {
        switch (random.Next(10))
        {
            case 0:
                return Framed("handshake-mutated", payloads.MutateBytes(HandshakeResponse(ClusterId, 1, random)), expected: null);
            case 1:
                return Framed("handshake-wrong-proof", HandshakeResponse(ClusterId, 1, random), expected: "AuthenticationFailed");
            case 2:
                return Framed("handshake-wrong-cluster", HandshakeResponse("another-cluster", 1, random), expected: "ClusterMismatch");
            case 3:
                return Framed("handshake-wrong-version", HandshakeResponse(ClusterId, random.Next(2, 100), random), expected: "VersionMismatch");
            case 4:
                return Framed("random-value", payloads.NextSmall(4096), expected: null);
            case 5:
                uint[] lengths = [4097, 1 << 24, int.MaxValue, uint.MaxValue, 0];
                var length = lengths[random.Next(lengths.Length)];
                return new RawAttempt(length == 0 ? "empty-frame" : "oversized-length", [.. Header(length), .. payloads.RandomBytes(16)], 1,
                    HalfClose: false, ExpectVerdict: true, ExpectedFailure: "Malformed", Trickle: false);
            case 6:
                var claimed = random.Next(16, 4097);
                var partial = new byte[random.Next(0, claimed)];
                random.NextBytes(partial);
                return new RawAttempt("truncated-frame", [.. Header((uint)claimed), .. partial], 1,
                    HalfClose: true, ExpectVerdict: false, ExpectedFailure: null, Trickle: false);
            case 7:
                return new RawAttempt("garbage", payloads.RandomBytes(2048), 1, HalfClose: true, ExpectVerdict: false, ExpectedFailure: null, Trickle: false);
            default:
                // Several frames at once: the silo must refuse on the first and ignore the rest.
                var frames = random.Next(2, 9);
                var bytes = Enumerable.Range(0, frames).SelectMany(_ => Frame(payloads.NextSmall(512))).ToArray();
                return new RawAttempt("pipelined-frames", bytes, frames, HalfClose: random.Next(2) == 0, ExpectVerdict: false, ExpectedFailure: null, Trickle: false);
        }
    }

    private static RawAttempt Framed(string kind, byte[] payload, string? expected) =>
        new(kind, Frame(payload), 1, HalfClose: false, ExpectVerdict: true, ExpectedFailure: expected, Trickle: false);

    private static byte[] Header(uint length)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        return header;
    }

    private static byte[] Frame(byte[] payload) => [.. Header((uint)payload.Length), .. payload];

    /// <summary>A client's handshake response (Transport/Handshake/ClientResponse.cs) with a random, hence wrong, proof.</summary>
    private static byte[] HandshakeResponse(string clusterId, int version, Random random)
    {
        var nonce = new byte[32];
        var proof = new byte[32];
        random.NextBytes(nonce);
        random.NextBytes(proof);
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(9);
        writer.WriteString("t");
        writer.WriteString("response");
        writer.WriteString("cluster");
        writer.WriteString(clusterId);
        writer.WriteString("version");
        writer.Write(version);
        writer.WriteString("role");
        writer.WriteString("client");
        writer.WriteString("name");
        writer.WriteString("fuzz");
        writer.WriteString("silo");
        writer.WriteNil();
        writer.WriteString("tenant");
        writer.WriteNil();
        writer.WriteString("nonce");
        writer.WriteBinary(nonce);
        writer.WriteString("proof");
        writer.WriteBinary(proof);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Connects, sends the attempt's bytes, and reads what the silo sends until it closes the connection.</summary>
    private static async Task<RawOutcome> AttackAsync(IPEndPoint endpoint, RawAttempt attempt)
    {
        var clock = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(RawConnectionDeadline);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint, deadline.Token);
        var received = ReceiveUntilClosedAsync(socket, deadline.Token);
        try
        {
            if (attempt.Trickle)
            {
                for (var i = 0; i < attempt.Bytes.Length && !received.IsCompleted; i++)
                {
                    await socket.SendAsync(attempt.Bytes.AsMemory(i, 1), SocketFlags.None, deadline.Token);
                    await Task.Delay(100, deadline.Token);
                }
            }
            else
            {
                for (var sent = 0; sent < attempt.Bytes.Length;)
                {
                    sent += await socket.SendAsync(attempt.Bytes.AsMemory(sent), SocketFlags.None, deadline.Token);
                }

                if (attempt.HalfClose)
                {
                    socket.Shutdown(SocketShutdown.Send);
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // The silo closed the connection before taking all of it (or the deadline passed: seen below).
        }

        var (data, closed) = await received;
        var frames = ParseServerFrames(data);
        return new RawOutcome(attempt, closed, frames.FirstType, frames.Accepted, frames.Failure, clock.Elapsed);
    }

    private static async Task<(byte[] Data, bool Closed)> ReceiveUntilClosedAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var total = 0;
        try
        {
            while (total < buffer.Length)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return (buffer[..total], true);
                }

                total += read;
            }

            return (buffer[..total], false);
        }
        catch (SocketException)
        {
            return (buffer[..total], true); // reset by the silo
        }
        catch (OperationCanceledException)
        {
            return (buffer[..total], false); // still open at the deadline: a hang
        }
    }

    /// <summary>The silo's challenge, then its verdict if it sent one: <c>{t, accepted, failure, ...}</c> maps.</summary>
    private static (string? FirstType, bool? Accepted, string? Failure) ParseServerFrames(byte[] data)
    {
        string? firstType = null;
        bool? accepted = null;
        string? failure = null;
        var offset = 0;
        for (var index = 0; index < 4 && data.Length - offset >= 4; index++)
        {
            var length = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset)), int.MaxValue);
            if (data.Length - offset - 4 < length)
            {
                break;
            }

            var reader = new MessagePackReader(data.AsMemory(offset + 4, length));
            string? type = null;
            var entries = reader.ReadMapHeader();
            for (var i = 0; i < entries; i++)
            {
                switch (reader.ReadString())
                {
                    case "t": type = reader.ReadString(); break;
                    case "accepted" when index > 0: accepted = reader.ReadBoolean(); break;
                    case "failure" when index > 0: failure = reader.ReadString(); break;
                    default: reader.Skip(); break;
                }
            }

            firstType ??= type;
            offset += 4 + length;
        }

        return (firstType, accepted, failure);
    }

    // ---- Layer 2: after authentication, MessagePack values against the runtime's message decoder. ----

    private async Task<PostAuthenticationResult> RunPostAuthenticationLayerAsync(
        IPEndPoint endpoint, int seed, IReadOnlyList<IReadOnlyList<byte[]>> templates, long frameTarget)
    {
        var transport = new TransportClient(
            Options.Create(new TransportOptions { ClusterId = ClusterId, ClusterSecret = Secret, GracefulCloseTimeout = TimeSpan.FromSeconds(2) }),
            NullLoggerFactory.Instance);
        var result = new PostAuthenticationResult();
        var clock = Stopwatch.StartNew();
        const int workers = 6;
        const int maxConnectionsPerWorker = 20_000;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var payloads = new FuzzPayloads(seed + 1_000 + worker, templates);
            var random = new Random(seed + 2_000 + worker);
            for (var n = 0; n < maxConnectionsPerWorker && Interlocked.Read(ref result.FuzzFrames) < frameTarget && clock.Elapsed < PostAuthenticationBudget; n++)
            {
                await FuzzOneConnectionAsync(transport, endpoint, $"fuzz-{worker}-{n}", payloads, random, result);
            }
        })));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"post-authentication layer took {clock.Elapsed.TotalSeconds:F1} s"));
        return result;
    }

    /// <summary>
    /// One authenticated connection: a batch of fuzz frames, each followed by a ping. The silo handles a connection's
    /// frames in order, so each pong proves the fuzz frame before it was decoded and accepted; the first invalid one
    /// makes the silo drop the connection, and the frames after it are never decoded.
    /// </summary>
    private static async Task FuzzOneConnectionAsync(TransportClient transport, IPEndPoint endpoint, string name, FuzzPayloads payloads, Random random, PostAuthenticationResult result)
    {
        var batch = random.Next(1, 49);
        var probeBase = random.NextInt64(1L << 40, 1L << 61);
        var handler = new ProbeHandler(probeBase, batch);
        IFrameConnection connection;
        using (var connectDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            try
            {
                connection = await transport.ConnectAsync(endpoint, new PeerIdentity(ConnectionRole.Client, name, Tenant: "fuzz"), handler, connectDeadline.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                result.ConnectFailures.Add($"{name}: {e.GetType().Name}: {e.Message}");
                return;
            }
        }

        Interlocked.Increment(ref result.ConnectionCount);
        long fuzzSent = 0;
        long probesSent = 0;
        try
        {
            try
            {
                for (var i = 0; i < batch; i++)
                {
                    await connection.SendAsync(payloads.Next());
                    fuzzSent++;
                    await connection.SendAsync(FuzzPayloads.Ping(probeBase + i));
                    probesSent++;
                }
            }
            catch (ConnectionClosedException)
            {
                // The silo dropped the connection while we were still sending: expected for invalid frames.
            }

            Interlocked.Add(ref result.FuzzFrames, fuzzSent);
            Interlocked.Add(ref result.ProbeFrames, probesSent);
            handler.Expect(probesSent);
            using var timeout = new CancellationTokenSource();
            var timer = Task.Delay(ReplyDeadline, timeout.Token);
            // A send that failed means the silo is closing the connection; wait for that, not for pongs
            // (with no probe sent, "all answered" is trivially true and would race the close).
            var awaited = probesSent == fuzzSent ? handler.AllAnswered : connection.Closed;
            await Task.WhenAny(awaited, connection.Closed, timer);
            timeout.Cancel();

            var everyFrameAccepted = handler.AllAnswered.IsCompleted && probesSent == fuzzSent;
            if (everyFrameAccepted)
            {
                Interlocked.Increment(ref result.SurvivedCount);
                Interlocked.Add(ref result.AcceptedFuzzFrames, fuzzSent);
            }
            else if (connection.Closed.IsCompleted)
            {
                result.ClosedBySilo.Add(name);
                Interlocked.Add(ref result.AcceptedFuzzFrames, handler.Answered);
            }
            else
            {
                result.Hangs.Add($"{name}: {handler.Answered} of {probesSent} probes answered within {ReplyDeadline.TotalSeconds:F0} s, connection still open");
                connection.Abort("no answer from the silo");
            }
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>Client names the silo logged as dropped for an invalid message, and whether the log names InvalidMessageException.</summary>
    private static async Task<Dictionary<string, bool>> WaitForRejectionLogAsync(SiloProcess silo, ConcurrentBag<string> closed)
    {
        // The silo's console logger is asynchronous: give its last lines a moment, bounded.
        var expected = closed.ToHashSet(StringComparer.Ordinal);
        var rejections = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            rejections = ParseRejections(silo.Output);
            if (expected.All(rejections.ContainsKey))
            {
                break;
            }

            await Task.Delay(200);
        }

        return rejections;
    }

    private static Dictionary<string, bool> ParseRejections(string siloOutput)
    {
        const string marker = "Dropping the connection from client '";
        const string handlerFailedMarker = "The frame handler's OnFrameAsync failed";
        var typedLine = typeof(InvalidMessageException).FullName + ":";
        var lines = siloOutput.Split('\n');
        var rejections = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var typedRejection = true;
            var at = lines[i].IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                // A frame handler that failed with an exception of its own: an untyped rejection.
                typedRejection = false;
                at = lines[i].IndexOf(handlerFailedMarker, StringComparison.Ordinal);
                at = at < 0 ? -1 : lines[i].IndexOf(" to client '", at, StringComparison.Ordinal);
                if (at < 0)
                {
                    continue;
                }
            }

            var start = lines[i].IndexOf('\'', at) + 1;
            var end = lines[i].IndexOf('\'', start);
            if (end < 0)
            {
                continue;
            }

            // The silo may decode frames already received after it dropped a connection: the first reason counts.
            var typed = typedRejection && i + 1 < lines.Length && lines[i + 1].TrimStart().StartsWith(typedLine, StringComparison.Ordinal);
            rejections.TryAdd(lines[i][start..end], typed);
        }

        return rejections;
    }

    private static string Describe(Dictionary<string, int> verdicts) =>
        string.Join(", ", verdicts.OrderByDescending(v => v.Value).Select(v => $"{v.Key} {v.Value}"));

    /// <summary>The lines around the first occurrence of <paramref name="marker"/>, for failure messages.</summary>
    private static string Excerpt(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? string.Empty : text.Substring(Math.Max(0, at - 300), Math.Min(text.Length - Math.Max(0, at - 300), 3000));
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    private sealed record RawAttempt(string Kind, byte[] Bytes, int Frames, bool HalfClose, bool ExpectVerdict, string? ExpectedFailure, bool Trickle);

    private sealed record RawOutcome(RawAttempt Attempt, bool Closed, string? FirstFrameType, bool? Accepted, string? Failure, TimeSpan Elapsed);

    private sealed class PreAuthenticationResult
    {
        public int Connections { get; init; }

        public long Frames { get; init; }

        public int ClosedBySilo { get; set; }

        public int ClosedWithoutVerdict { get; set; }

        public int Accepted { get; set; }

        public Dictionary<string, int> Verdicts { get; } = new(StringComparer.Ordinal);

        public List<string> Hangs { get; } = [];

        public List<string> UnknownFailures { get; } = [];

        public List<string> MissingVerdicts { get; } = [];

        public List<string> WrongVerdicts { get; } = [];
    }

    private sealed class PostAuthenticationResult
    {
        public long FuzzFrames;
        public long ProbeFrames;
        public long AcceptedFuzzFrames;
        public long ConnectionCount;
        public long SurvivedCount;

        public long Connections => Interlocked.Read(ref ConnectionCount);

        public long Survived => Interlocked.Read(ref SurvivedCount);

        public ConcurrentBag<string> ClosedBySilo { get; } = [];

        public ConcurrentBag<string> Hangs { get; } = [];

        public ConcurrentBag<string> ConnectFailures { get; } = [];
    }

    /// <summary>Counts the pongs answering this connection's probe pings; ignores every other reply.</summary>
    private sealed class ProbeHandler(long probeBase, int probes) : IFrameHandler
    {
        private readonly TaskCompletionSource _allAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _answered;
        private long _expected = long.MaxValue;

        public Task AllAnswered => _allAnswered.Task;

        public long Answered => Interlocked.Read(ref _answered);

        public void Expect(long count)
        {
            Interlocked.Exchange(ref _expected, count);
            if (Answered >= count)
            {
                _allAnswered.TrySetResult();
            }
        }

        public ValueTask OnConnectedAsync(IFrameConnection connection) => ValueTask.CompletedTask;

        public ValueTask OnFrameAsync(IFrameConnection connection, ReadOnlySequence<byte> payload)
        {
            if (FuzzPayloads.TryReadKindAndId(payload, out var kind, out var id) && kind == FuzzPayloads.PongKind && id >= probeBase && id < probeBase + probes
                && Interlocked.Increment(ref _answered) >= Interlocked.Read(ref _expected))
            {
                _allAnswered.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask OnDisconnectedAsync(IFrameConnection connection, Exception? error) => ValueTask.CompletedTask;
    }

    /// <summary>Stands in for the runtime behind a generated proxy, to capture the arguments it serializes.</summary>
    private sealed class ArgumentRecorder : IGrainCallInvoker
    {
        private (GrainMethod Method, byte[] Arguments)? _last;

        public (GrainMethod Method, byte[] Arguments) Take()
        {
            var last = _last ?? throw new InvalidOperationException("the proxy made no call");
            _last = null;
            return last;
        }

        public Task<TResult> InvokeAsync<TResult>(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
        {
            _last = (method, arguments.ToArray());
            return Task.FromResult(default(TResult)!);
        }

        public Task InvokeAsync(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
        {
            _last = (method, arguments.ToArray());
            return Task.CompletedTask;
        }

        public IAsyncEnumerable<TItem> InvokeStreamAsync<TItem>(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
        {
            _last = (method, arguments.ToArray());
            return Empty<TItem>();
        }

        private static async IAsyncEnumerable<TItem> Empty<TItem>()
        {
            await Task.CompletedTask;
            yield break;
        }
    }
}
