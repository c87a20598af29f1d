using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GenCluster.Transport.Tests;

public sealed class ConnectionPoolTests
{
    [Fact]
    public async Task Callers_share_one_connection_per_endpoint()
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var pool = NewPool(harness.LoggerFactory);

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => pool.GetAsync(harness.EndPoint, CancellationToken.None).AsTask()))
            .WaitAsync(Timeouts.Default);
        var later = await pool.GetAsync(harness.EndPoint, CancellationToken.None);

        concurrent.Distinct().Should().ContainSingle();
        later.Should().BeSameAs(concurrent[0]);
        later.IsConnected.Should().BeTrue();
        harness.Server.Statistics.ConnectionsEstablished.Should().Be(1);
    }

    [Fact]
    public async Task Different_endpoints_get_different_connections()
    {
        await using var first = await ServerHarness.StartAsync(self: TestTransport.SiloIdentity("first"));
        await using var second = await ServerHarness.StartAsync(self: TestTransport.SiloIdentity("second"));
        await using var pool = NewPool(first.LoggerFactory);

        var a = await pool.GetAsync(first.EndPoint, CancellationToken.None);
        var b = await pool.GetAsync(second.EndPoint, CancellationToken.None);

        a.Should().NotBeSameAs(b);
        a.Remote.Name.Should().Be("first");
        b.Remote.Name.Should().Be("second");
    }

    [Fact]
    public async Task The_pool_reconnects_after_the_server_restarts()
    {
        var firstRun = await ServerHarness.StartAsync();
        var endPoint = firstRun.EndPoint;
        using var poolLogs = new RecordingLoggerProvider().CreateFactory();
        await using var pool = NewPool(poolLogs);
        var before = await pool.GetAsync(endPoint, CancellationToken.None);
        await before.SendAsync(TestPayload.Create(1, 1, 10));
        TestPayload.Verify((await firstRun.Handler.ReadFrameAsync()).Payload).Sequence.Should().Be(1);

        await firstRun.DisposeAsync();
        await before.Closed.WaitAsync(Timeouts.Default);
        var whileDown = () => pool.GetAsync(endPoint, CancellationToken.None).AsTask().WaitAsync(Timeouts.Default);
        await whileDown.Should().ThrowAsync<ConnectionRefusedException>();

        await using var secondRun = await ServerHarness.StartAsync(endPoint: endPoint);
        var after = await pool.GetAsync(endPoint, CancellationToken.None).AsTask().WaitAsync(Timeouts.Default);
        await after.SendAsync(TestPayload.Create(1, 2, 10));

        after.Should().NotBeSameAs(before);
        after.IsConnected.Should().BeTrue();
        TestPayload.Verify((await secondRun.Handler.ReadFrameAsync()).Payload).Sequence.Should().Be(2);
        (await pool.GetAsync(endPoint, CancellationToken.None)).Should().BeSameAs(after);
    }

    [Fact]
    public async Task A_cancelled_caller_does_not_cancel_the_connect_it_shares()
    {
        // A server that accepts but never answers keeps the connect pending until the handshake times out.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endPoint = (IPEndPoint)listener.LocalEndpoint;
        var accepted = new List<Socket>();
        using var stopAccepting = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            for (int i = 0; i < 10; i++)
            {
                var socket = await listener.AcceptSocketAsync(stopAccepting.Token);
                lock (accepted)
                {
                    accepted.Add(socket);
                }
            }
        });
        using var logs = new RecordingLoggerProvider().CreateFactory();
        var client = TestTransport.Client(logs, TestTransport.Options(configure: o => o.HandshakeTimeout = TimeSpan.FromSeconds(1)));
        await using var pool = new ConnectionPool(client, TestTransport.ClientIdentity(), new RecordingHandler(), logs.CreateLogger<ConnectionPool>());
        using var impatience = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var impatient = () => pool.GetAsync(endPoint, impatience.Token).AsTask();
        await impatient.Should().ThrowAsync<OperationCanceledException>();
        var patient = () => pool.GetAsync(endPoint, CancellationToken.None).AsTask().WaitAsync(Timeouts.Default);
        await patient.Should().ThrowAsync<TimeoutException>("the shared connect ran on to its own timeout");

        lock (accepted)
        {
            accepted.Should().ContainSingle("both callers shared one connect");
            accepted.ForEach(socket => socket.Dispose());
        }

        await stopAccepting.CancelAsync();
        await accepting.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task Disposing_the_pool_closes_its_connections()
    {
        await using var harness = await ServerHarness.StartAsync();
        var pool = NewPool(harness.LoggerFactory);
        var connection = await pool.GetAsync(harness.EndPoint, CancellationToken.None);

        await pool.DisposeAsync();

        connection.IsConnected.Should().BeFalse();
        (await harness.Handler.WaitDisconnectedAsync()).Error.Should().BeNull();
        var afterDispose = () => pool.GetAsync(harness.EndPoint, CancellationToken.None).AsTask();
        await afterDispose.Should().ThrowAsync<ObjectDisposedException>();
    }

    private static ConnectionPool NewPool(ILoggerFactory loggerFactory) =>
        new(TestTransport.Client(loggerFactory), TestTransport.ClientIdentity("pooled"), new RecordingHandler(), loggerFactory.CreateLogger<ConnectionPool>());
}
