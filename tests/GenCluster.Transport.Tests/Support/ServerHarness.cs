using System.Net;
using Microsoft.Extensions.Logging;

namespace GenCluster.Transport.Tests;

/// <summary>A live <see cref="TransportServer"/> on a loopback port, with recorded logs, stopped on dispose.</summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    private ServerHarness(TransportServer server, IPEndPoint endPoint, RecordingHandler handler, RecordingLoggerProvider logs, ILoggerFactory loggerFactory, TransportOptions options)
    {
        Server = server;
        EndPoint = endPoint;
        Handler = handler;
        Logs = logs;
        LoggerFactory = loggerFactory;
        Options = options;
    }

    public TransportServer Server { get; }

    public IPEndPoint EndPoint { get; }

    public RecordingHandler Handler { get; }

    public RecordingLoggerProvider Logs { get; }

    public ILoggerFactory LoggerFactory { get; }

    public TransportOptions Options { get; }

    public static async Task<ServerHarness> StartAsync(
        RecordingHandler? handler = null,
        TransportOptions? options = null,
        PeerIdentity? self = null,
        IPEndPoint? endPoint = null,
        TimeProvider? timeProvider = null)
    {
        var logs = new RecordingLoggerProvider();
        var loggerFactory = logs.CreateFactory();
        options ??= TestTransport.Options();
        handler ??= new RecordingHandler();
        var server = TestTransport.Server(loggerFactory, options, timeProvider);
        var bound = await server.StartAsync(endPoint ?? TestTransport.AnyLoopbackPort, self ?? TestTransport.SiloIdentity(), handler, CancellationToken.None)
            .WaitAsync(Timeouts.Default);
        return new ServerHarness(server, bound, handler, logs, loggerFactory, options);
    }

    /// <summary>A client sharing this harness's log recorder.</summary>
    public TransportClient NewClient(TransportOptions? options = null) => TestTransport.Client(LoggerFactory, options ?? TestTransport.Options());

    public async Task<IFrameConnection> ConnectAsync(RecordingHandler? clientHandler = null, PeerIdentity? identity = null, TransportOptions? options = null) =>
        await NewClient(options).ConnectAsync(EndPoint, identity ?? TestTransport.ClientIdentity(), clientHandler ?? new RecordingHandler(), CancellationToken.None)
            .WaitAsync(Timeouts.Default);

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync(CancellationToken.None).WaitAsync(Timeouts.Default);
        LoggerFactory.Dispose();
    }
}
