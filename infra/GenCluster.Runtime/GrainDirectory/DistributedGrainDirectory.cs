using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Cluster;
using GenCluster.Runtime.Hosting;
using GenCluster.Runtime.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Runtime.GrainDirectory;

/// <summary>
/// The grain directory spread over the active silos: each grain id has an owner on the consistent hash ring, and
/// its entry lives in the owner's <see cref="GrainDirectoryPartition"/>. Operations go to the owner; when the owner
/// turns out to be gone, they retry with the owner of the next membership view.
/// </summary>
internal sealed partial class DistributedGrainDirectory : IGrainDirectory
{
    /// <summary>How many owners an operation tries before it gives up.</summary>
    private const int MaxAttempts = 3;

    /// <summary>How long an operation whose owner failed waits for membership to notice before asking again.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly ClusterMembership _membership;
    private readonly LocalSilo _local;
    private readonly GrainDirectoryPartition _partition;
    private readonly MessageCenter _messages;
    private readonly GrainCallOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DistributedGrainDirectory> _logger;

    /// <summary>Creates the directory client of a silo.</summary>
    public DistributedGrainDirectory(
        ClusterMembership membership,
        LocalSilo local,
        GrainDirectoryPartition partition,
        MessageCenter messages,
        IOptions<GrainCallOptions> options,
        TimeProvider timeProvider,
        ILogger<DistributedGrainDirectory> logger)
    {
        _membership = membership;
        _local = local;
        _partition = partition;
        _messages = messages;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken) =>
        OnOwnerAsync(
            grainId,
            () => _partition.Lookup(grainId),
            DirectorySystemTarget.LookupMethod,
            GrainAddressCodec.EncodeGrainId(grainId),
            cancellationToken);

    /// <inheritdoc />
    public async Task<GrainAddress> RegisterAsync(GrainAddress address, CancellationToken cancellationToken) =>
        await OnOwnerAsync(
            address.GrainId,
            () => _partition.Register(address),
            DirectorySystemTarget.RegisterMethod,
            GrainAddressCodec.EncodeAddress(address),
            cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"the directory owner of {address.GrainId} answered a registration with nothing");

    /// <inheritdoc />
    public Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken) =>
        OnOwnerAsync(
            address.GrainId,
            () =>
            {
                _partition.Unregister(address);
                return null;
            },
            DirectorySystemTarget.UnregisterMethod,
            GrainAddressCodec.EncodeAddress(address),
            cancellationToken);

    private async Task<GrainAddress?> OnOwnerAsync(GrainId grainId, Func<GrainAddress?> local, uint method, byte[] body, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            var view = _membership.Current;

            // Before the silo has a view with active silos (while joining), it can only use its own partition.
            var owner = view.Ring.Owner(grainId);
            if (owner is null || _local.IsLocal(owner))
            {
                return local();
            }

            try
            {
                var request = new Message
                {
                    Id = _messages.Requests.NextId(),
                    Kind = MessageKind.Request,
                    Target = SystemTargets.Directory,
                    MethodId = method,
                    Body = body,
                };
                var reply = await _messages.CallAsync(owner.Value, request, _options.ResponseTimeout, $"directory operation {method} for {grainId}", cancellationToken).ConfigureAwait(false);
                return GrainAddressCodec.DecodeAddress(reply.Body);
            }
            catch (SiloUnavailableException e) when (attempt < MaxAttempts)
            {
                LogOwnerUnavailable(_logger, e, owner.Value, grainId, attempt);
                if (_membership.Current.Version == view.Version)
                {
                    await Task.Delay(RetryDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Directory owner {Owner} of {GrainId} is unavailable (attempt {Attempt}); retrying")]
    private static partial void LogOwnerUnavailable(ILogger logger, Exception exception, SiloAddress owner, GrainId grainId, int attempt);
}
