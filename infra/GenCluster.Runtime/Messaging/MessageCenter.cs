using GenCluster.MessagePack;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Cluster;
using GenCluster.Runtime.Hosting;
using GenCluster.Transport;
using Microsoft.Extensions.Logging;

namespace GenCluster.Runtime.Messaging;

/// <summary>
/// Sends messages from this silo to other silos and tracks the requests among them. Refuses to send to silos
/// membership has declared dead, and fails the requests waiting on a silo the moment it is declared dead — callers
/// never wait for a timeout to learn that.
/// </summary>
internal sealed partial class MessageCenter
{
    private readonly LocalSilo _local;
    private readonly SiloConnections _connections;
    private readonly PendingRequestTable _requests;
    private readonly ClusterMembership _membership;
    private readonly ILogger<MessageCenter> _logger;

    /// <summary>Creates the message center of a silo.</summary>
    public MessageCenter(LocalSilo local, SiloConnections connections, PendingRequestTable requests, ClusterMembership membership, ILogger<MessageCenter> logger)
    {
        _local = local;
        _connections = connections;
        _requests = requests;
        _membership = membership;
        _logger = logger;
        membership.Changed += OnMembershipChanged;
    }

    /// <summary>The requests this silo waits on.</summary>
    public PendingRequestTable Requests => _requests;

    /// <summary>Sends <paramref name="message"/> to <paramref name="silo"/> (another silo).</summary>
    /// <exception cref="SiloUnavailableException">The silo is dead or cannot be reached.</exception>
    public async ValueTask SendAsync(SiloAddress silo, Message message, CancellationToken cancellationToken)
    {
        if (_membership.Current.IsDead(silo))
        {
            throw new SiloUnavailableException($"silo {silo} is dead");
        }

        var connection = await _connections.GetAsync(silo, cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectionClosedException e)
        {
            throw new SiloUnavailableException($"the connection to silo {silo} closed: {e.Message}", e);
        }
    }

    /// <summary>Calls a system target on <paramref name="silo"/> and returns its successful reply.</summary>
    /// <exception cref="SiloUnavailableException">The silo is dead, unreachable, or died before answering.</exception>
    /// <exception cref="GrainCallTimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="Exception">The error the target replied with.</exception>
    public async Task<Message> CallAsync(SiloAddress silo, Message request, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var response = new UnaryResponse();
        var pending = new PendingRequest(request with { SendingSilo = _local.Address, TargetSilo = silo, TimeToLive = timeout }, response, what)
        {
            Destination = silo,
        };
        _requests.Add(pending, timeout, cancellationToken, onAbandoned: null);
        try
        {
            await SendAsync(silo, pending.Request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _requests.TryFail(pending.Id, e);
        }

        var reply = await response.Task.ConfigureAwait(false);
        if (reply.Kind == MessageKind.Error)
        {
            throw RemoteExceptionCodec.Decode(reply.Body);
        }

        return reply;
    }

    /// <summary>Tells <paramref name="silo"/> that the caller gave up on request <paramref name="cancel"/> (best effort).</summary>
    public async Task SendCancelAsync(SiloAddress silo, Message cancel)
    {
        try
        {
            await SendAsync(silo, cancel, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogCancelNotSent(_logger, e, cancel.Id, silo);
        }
    }

    private void OnMembershipChanged(ClusterView previous, ClusterView current)
    {
        foreach (var dead in current.NewlyDead(previous))
        {
            int failed = _requests.FailWhere(
                p => p.Destination == dead,
                p => new SiloUnavailableException($"silo {dead} was declared dead before {p.Description} finished; it may or may not have run"));
            _connections.Abort(dead, "declared dead by membership");
            LogSiloDead(_logger, dead, failed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} is dead; failed {Failed} requests waiting on it")]
    private static partial void LogSiloDead(ILogger logger, SiloAddress silo, int failed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not tell {Silo} to cancel request #{Id}")]
    private static partial void LogCancelNotSent(ILogger logger, Exception exception, long id, SiloAddress silo);
}
