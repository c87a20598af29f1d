using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GenCluster.Transport.Tests;

public sealed class HandshakeTests
{
    private const string WrongSecret = "not-the-cluster-secret-at-all-987654";

    [Fact]
    public async Task Both_sides_learn_the_others_authenticated_identity()
    {
        var serverIdentity = TestTransport.SiloIdentity("silo-main", 30001);
        await using var harness = await ServerHarness.StartAsync(self: serverIdentity);
        var clientIdentity = TestTransport.ClientIdentity("alice", "tenant-42");

        await using var connection = await harness.ConnectAsync(identity: clientIdentity);
        var accepted = await harness.Handler.WaitConnectedAsync();

        connection.Remote.Should().Be(serverIdentity);
        accepted.Remote.Should().Be(clientIdentity);
        accepted.RemoteEndPoint.Should().BeOfType<IPEndPoint>().Which.Address.Should().Be(IPAddress.Loopback);
        harness.Server.Statistics.ConnectionsEstablished.Should().Be(1);
        harness.Server.Statistics.ConnectionsRefused.Should().Be(0);
    }

    [Theory]
    [InlineData(ConnectionRole.Client)]
    [InlineData(ConnectionRole.Silo)]
    public async Task A_peer_with_the_wrong_secret_is_refused_with_the_servers_reason(ConnectionRole role)
    {
        await using var harness = await ServerHarness.StartAsync();
        var identity = role == ConnectionRole.Silo ? TestTransport.SiloIdentity("rogue-silo", 30002) : TestTransport.ClientIdentity("mallory");

        var connect = () => harness.ConnectAsync(identity: identity, options: TestTransport.Options(WrongSecret));

        var refusal = (await connect.Should().ThrowAsync<HandshakeFailedException>()).Which;
        refusal.Kind.Should().Be(HandshakeFailureKind.AuthenticationFailed);
        refusal.RefusedByServer.Should().BeTrue();
        refusal.Reason.Should().Contain("authentication failed");
        harness.Server.Statistics.ConnectionsRefused.Should().Be(1);
        harness.Server.Statistics.ConnectionsEstablished.Should().Be(0);
        harness.Handler.Connections.Should().BeEmpty();
        harness.Logs.AtLeast(LogLevel.Warning).Should().Contain(entry => entry.Message.Contains("AuthenticationFailed") && entry.Category.EndsWith(nameof(TransportServer)));
        AssertNoSecretsLogged(harness.Logs);
    }

    [Theory]
    [InlineData("signs-with-its-own-secret")]
    [InlineData("reflects-the-clients-proof")]
    public async Task A_client_rejects_a_server_that_cannot_prove_it_holds_the_secret(string impostorStrategy)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endPoint = (IPEndPoint)listener.LocalEndpoint;
        var impostor = Task.Run(async () =>
        {
            using var server = RawPeer.Attach(await listener.AcceptSocketAsync().WaitAsync(Timeouts.Default));
            var nonce = ClusterKey.NewNonce();
            await server.SendAsync(RawPeer.Frame(new ServerChallenge("gencluster", 1, nonce), ServerChallenge.Write));
            var response = ClientResponse.Read(new(await server.ReadFrameAsync() ?? throw new IOException("no response")));
            var self = TestTransport.SiloIdentity("impostor");
            var proof = impostorStrategy == "reflects-the-clients-proof"
                ? response.Proof
                : new ClusterKey(WrongSecret).ComputeProof(HandshakeDirection.ServerToClient, nonce, response.Nonce, "gencluster", 1, self);
            await server.SendAsync(RawPeer.Frame(ServerVerdict.Accept(self, proof), ServerVerdict.Write));
            await server.WaitForCloseAsync();
        });
        using var logs = new RecordingLoggerProvider();
        using var loggerFactory = logs.CreateFactory();
        var client = TestTransport.Client(loggerFactory);

        var connect = () => client.ConnectAsync(endPoint, TestTransport.ClientIdentity(), new RecordingHandler(), CancellationToken.None).WaitAsync(Timeouts.Default);

        var failure = (await connect.Should().ThrowAsync<HandshakeFailedException>()).Which;
        failure.Kind.Should().Be(HandshakeFailureKind.ServerAuthenticationFailed);
        failure.RefusedByServer.Should().BeFalse();
        client.Statistics.ConnectionsRefused.Should().Be(1);
        await impostor.WaitAsync(Timeouts.Default);
        AssertNoSecretsLogged(logs);
    }

    [Theory]
    [InlineData("other-cluster", 1, HandshakeFailureKind.ClusterMismatch)]
    [InlineData("gencluster", 2, HandshakeFailureKind.VersionMismatch)]
    public async Task A_client_gives_up_on_a_server_of_another_cluster_or_version(string clientCluster, int clientVersion, HandshakeFailureKind expected)
    {
        await using var harness = await ServerHarness.StartAsync();
        var options = TestTransport.Options(configure: o => (o.ClusterId, o.ProtocolVersion) = (clientCluster, clientVersion));

        var connect = () => harness.ConnectAsync(options: options);

        var failure = (await connect.Should().ThrowAsync<HandshakeFailedException>()).Which;
        failure.Kind.Should().Be(expected);
        failure.RefusedByServer.Should().BeFalse();
        harness.Handler.Connections.Should().BeEmpty();
    }

    [Theory]
    [InlineData("other-cluster", 1, HandshakeFailureKind.ClusterMismatch)]
    [InlineData("gencluster", 7, HandshakeFailureKind.VersionMismatch)]
    public async Task The_server_refuses_a_signed_response_for_another_cluster_or_version(string cluster, int version, HandshakeFailureKind expected)
    {
        await using var harness = await ServerHarness.StartAsync();
        using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        var challenge = await peer.ReadChallengeAsync();

        await peer.SendAsync(RawPeer.Frame(RawPeer.SignedResponse(challenge, TestTransport.Secret, TestTransport.ClientIdentity(), cluster, version), ClientResponse.Write));

        var verdict = await peer.ReadVerdictAsync();
        verdict.Accepted.Should().BeFalse();
        verdict.Failure.Should().Be(expected);
        (await peer.WaitForCloseAsync()).Should().BeTrue();
        harness.Server.Statistics.ConnectionsRefused.Should().Be(1);
    }

    [Fact]
    public async Task A_replayed_response_is_refused_because_the_server_nonce_is_fresh()
    {
        await using var harness = await ServerHarness.StartAsync();
        byte[] recorded;
        using (var first = await RawPeer.ConnectAsync(harness.EndPoint))
        {
            var challenge = await first.ReadChallengeAsync();
            recorded = RawPeer.Frame(RawPeer.SignedResponse(challenge, TestTransport.Secret, TestTransport.ClientIdentity()), ClientResponse.Write);
            await first.SendAsync(recorded);
            (await first.ReadVerdictAsync()).Accepted.Should().BeTrue();
        }

        using var replay = await RawPeer.ConnectAsync(harness.EndPoint);
        await replay.ReadChallengeAsync();
        await replay.SendAsync(recorded);

        var verdict = await replay.ReadVerdictAsync();
        verdict.Accepted.Should().BeFalse();
        verdict.Failure.Should().Be(HandshakeFailureKind.AuthenticationFailed);
        (await replay.WaitForCloseAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task A_silent_peer_is_refused_when_the_handshake_times_out()
    {
        await using var harness = await ServerHarness.StartAsync(options: TestTransport.Options(configure: o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(300)));
        using var peer = await RawPeer.ConnectAsync(harness.EndPoint);

        await peer.ReadChallengeAsync();
        var verdict = await peer.ReadVerdictAsync();

        verdict.Failure.Should().Be(HandshakeFailureKind.TimedOut);
        (await peer.WaitForCloseAsync()).Should().BeTrue();
        harness.Server.Statistics.HandshakeTimeouts.Should().Be(1);
        harness.Logs.AtLeast(LogLevel.Warning).Should().Contain(entry => entry.Message.Contains("TimedOut"));
    }

    [Fact]
    public async Task Handshake_deadlines_follow_the_injected_clock()
    {
        var clock = new ManualTimeProvider();
        var options = TestTransport.Options(configure: o => o.HandshakeTimeout = TimeSpan.FromHours(1));
        await using var harness = await ServerHarness.StartAsync(options: options, timeProvider: clock);
        using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        await peer.ReadChallengeAsync();

        var tooEarly = () => peer.ReadFrameAsync(TimeSpan.FromMilliseconds(300));
        await tooEarly.Should().ThrowAsync<TimeoutException>("an hour has not passed on the server's clock");
        clock.Advance(TimeSpan.FromMinutes(61));

        (await peer.ReadVerdictAsync()).Failure.Should().Be(HandshakeFailureKind.TimedOut);
        (await peer.WaitForCloseAsync()).Should().BeTrue();
        harness.Server.Statistics.HandshakeTimeouts.Should().Be(1);
    }

    [Fact]
    public async Task An_oversized_handshake_frame_is_refused_before_it_is_buffered()
    {
        await using var harness = await ServerHarness.StartAsync();
        using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        await peer.ReadChallengeAsync();

        await peer.SendAsync(new byte[] { 0x10, 0x00, 0x00, 0x00 }); // announces 256 MiB

        var verdict = await peer.ReadVerdictAsync();
        verdict.Failure.Should().Be(HandshakeFailureKind.Malformed);
        verdict.Reason.Should().Contain("FrameTooLarge");
        (await peer.WaitForCloseAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task The_client_times_out_against_a_server_that_never_challenges()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var logs = new RecordingLoggerProvider();
        using var loggerFactory = logs.CreateFactory();
        var client = TestTransport.Client(loggerFactory, TestTransport.Options(configure: o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(300)));

        var connect = () => client.ConnectAsync(listener.LocalEndpoint, TestTransport.ClientIdentity(), new RecordingHandler(), CancellationToken.None).WaitAsync(Timeouts.Default);

        await connect.Should().ThrowAsync<TimeoutException>();
        client.Statistics.HandshakeTimeouts.Should().Be(1);
    }

    [Fact]
    public async Task Connecting_where_nothing_listens_throws_ConnectionRefusedException()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var loggerFactory = new RecordingLoggerProvider().CreateFactory();
        var client = TestTransport.Client(loggerFactory);

        var connect = () => client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), TestTransport.ClientIdentity(), new RecordingHandler(), CancellationToken.None).WaitAsync(Timeouts.Default);

        await connect.Should().ThrowAsync<ConnectionRefusedException>();
    }

    private static void AssertNoSecretsLogged(RecordingLoggerProvider logs)
    {
        logs.Entries.Should().NotBeEmpty();
        foreach (var entry in logs.Entries)
        {
            entry.FullText.Should().NotContain(TestTransport.Secret).And.NotContain(WrongSecret).And.NotContain("proof\":");
        }
    }
}
