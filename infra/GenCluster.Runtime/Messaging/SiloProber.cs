using GenCluster.MessagePack;
using GenCluster.Membership;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Hosting;

namespace GenCluster.Runtime.Messaging;

/// <summary>
/// Answers the membership agent's "is that silo alive?" with a ping over the silo-to-silo transport. Only the
/// exact incarnation probed answers with a pong; a restarted silo on the same endpoint answers with an error.
/// </summary>
internal sealed class SiloProber : ISiloProber
{
    private readonly LocalSilo _local;
    private readonly SiloConnections _connections;
    private readonly PendingRequestTable _requests;

    /// <summary>Creates the prober of a silo.</summary>
    public SiloProber(LocalSilo local, SiloConnections connections, PendingRequestTable requests)
    {
        _local = local;
        _connections = connections;
        _requests = requests;
    }

    /// <inheritdoc />
    public async Task<bool> ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken ct)
    {
        var response = new UnaryResponse();
        var ping = new Message { Id = _requests.NextId(), Kind = MessageKind.Ping, SendingSilo = _local.Address, TargetSilo = target };
        _requests.Add(new PendingRequest(ping, response, $"ping of {target}") { Destination = target }, timeout, ct, onAbandoned: null);
        try
        {
            var connection = await _connections.GetAsync(target, ct).ConfigureAwait(false);
            await connection.SendMessageAsync(ping, ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _requests.TryFail(ping.Id, e);
        }

        try
        {
            return (await response.Task.ConfigureAwait(false)).Kind == MessageKind.Pong;
        }
        catch (Exception)
        {
            // Unreachable, timed out or cancelled: all mean "no answer" to the agent.
            return false;
        }
    }
}
