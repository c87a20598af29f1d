using System.Net;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Gateway;
using GenCluster.Runtime.Invocation;
using GenCluster.Runtime.Messaging;
using GenCluster.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenCluster.Runtime.Client;

/// <summary>
/// Calls grains from outside the cluster, through a gateway silo (as Orleans' <c>IClusterClient</c>). Connects to
/// the first reachable gateway of <see cref="ClusterClientOptions.Gateways"/>; when that connection is lost, calls in
/// flight fail with <see cref="SiloUnavailableException"/> and new calls go to the next gateway. Streaming grain
/// methods arrive as <see cref="IAsyncEnumerable{T}"/>; leaving the enumeration early cancels the stream in the
/// cluster. The client needs only the grain interfaces: it learns which grain type implements each from the gateway.
/// </summary>
public sealed partial class ClusterClient : IGrainFactory, IGrainCallInvoker, IAsyncDisposable
{
    private readonly GatewayConnector _gateways;
    private readonly GrainCallInvoker _invoker;
    private readonly GrainTypeResolver _types = new();
    private readonly GrainFactory _factory;
    private readonly ILogger<ClusterClient> _logger;
    private readonly TimeSpan _responseTimeout;
    private int _manifestLoaded;

    /// <summary>Creates a client (nothing connects until <see cref="ConnectAsync"/> or the first call).</summary>
    /// <exception cref="ArgumentException">No gateway is configured, or one is not a <c>host:port</c> endpoint.</exception>
    public ClusterClient(IOptions<ClusterClientOptions> options, IOptions<GrainCallOptions> callOptions, ILoggerFactory loggerFactory, TimeProvider timeProvider)
        : this(options.Value, callOptions.Value, connector: null, loggerFactory, timeProvider)
    {
    }

    internal ClusterClient(ClusterClientOptions options, GrainCallOptions callOptions, IFrameConnector? connector, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Gateways.Count == 0)
        {
            throw new ArgumentException("a cluster client needs at least one gateway endpoint", nameof(options));
        }

        var gateways = options.Gateways.Select(g =>
        {
            try
            {
                return SiloEndpoints.Parse(g);
            }
            catch (FormatException e)
            {
                throw new ArgumentException(e.Message, nameof(options), e);
            }
        }).ToList();

        _responseTimeout = callOptions.ResponseTimeout;
        _logger = loggerFactory.CreateLogger<ClusterClient>();
        connector ??= new TcpFrameConnector(new TransportClient(
            Options.Create(new TransportOptions { ClusterId = options.ClusterId, ClusterSecret = options.ClusterSecret }),
            loggerFactory,
            timeProvider));

        string clientId = $"{options.ClientName}/{Guid.NewGuid():N}";
        var self = new PeerIdentity(ConnectionRole.Client, options.ClientName, Tenant: options.Tenant);
        _gateways = new GatewayConnector(gateways, self, clientId, connector, new PendingRequestTable(timeProvider), loggerFactory.CreateLogger<GatewayConnector>());
        _invoker = new GrainCallInvoker(_gateways, Options.Create(callOptions));
        _factory = new GrainFactory(this, _types);
    }

    /// <summary>Creates a client from <paramref name="options"/>.</summary>
    public static ClusterClient Create(ClusterClientOptions options, ILoggerFactory? loggerFactory = null, GrainCallOptions? callOptions = null) =>
        new(options, callOptions ?? new GrainCallOptions(), connector: null, loggerFactory ?? NullLoggerFactory.Instance, TimeProvider.System);

    /// <summary>Whether a gateway connection is open.</summary>
    public bool IsConnected => _gateways.Gateway is not null;

    /// <summary>The gateway the client is connected to, if any.</summary>
    public EndPoint? Gateway => _gateways.Gateway;

    /// <summary>Connects to a gateway and loads the grain manifest from it.</summary>
    /// <exception cref="SiloUnavailableException">No gateway is reachable (the message lists every endpoint tried).</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        await _gateways.GetConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _manifestLoaded) == 0)
        {
            var response = new UnaryResponse();
            var request = new Message { Id = _gateways.NextMessageId(), Kind = MessageKind.Request, Target = SystemTargets.Manifest, MethodId = GrainManifest.GetManifestMethod };
            _gateways.SendRequest(request, response, _responseTimeout, "the grain manifest", cancellationToken);
            var reply = await response.Task.ConfigureAwait(false);
            if (reply.Kind == MessageKind.Error)
            {
                throw RemoteExceptionCodec.Decode(reply.Body);
            }

            var manifest = GrainManifest.Decode(reply.Body);
            _types.SetManifest(manifest);
            Volatile.Write(ref _manifestLoaded, 1);
            LogManifestLoaded(_logger, manifest.Count, _gateways.Gateway);
        }
    }

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey => _factory.GetGrain<TGrainInterface>(key);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(long key)
        where TGrainInterface : IGrainWithIntegerKey => _factory.GetGrain<TGrainInterface>(key);

    /// <inheritdoc />
    public Task<TResult> InvokeAsync<TResult>(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken) =>
        _invoker.InvokeAsync<TResult>(target, method, arguments, cancellationToken);

    /// <inheritdoc />
    public Task InvokeAsync(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken) =>
        _invoker.InvokeAsync(target, method, arguments, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<TItem> InvokeStreamAsync<TItem>(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken) =>
        _invoker.InvokeStreamAsync<TItem>(target, method, arguments, cancellationToken);

    /// <summary>Closes the gateway connection; calls still waiting fail.</summary>
    public ValueTask DisposeAsync() => _gateways.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Loaded the grain manifest ({Count} interfaces) from {Gateway}")]
    private static partial void LogManifestLoaded(ILogger logger, int count, EndPoint? gateway);
}
