using System.Collections.Concurrent;
using GenCluster.Runtime.Messaging;

namespace GenCluster.Runtime.Calls;

/// <summary>
/// The requests a silo or client has sent and still expects replies for, by message id. Enforces response
/// timeouts and caller cancellation; the owner tells the callee (<c>onAbandoned</c>) so it can stop the work.
/// </summary>
internal sealed class PendingRequestTable
{
    private readonly ConcurrentDictionary<long, PendingRequest> _pending = new();
    private readonly TimeProvider _timeProvider;
    private long _lastId;

    /// <summary>Creates an empty table.</summary>
    public PendingRequestTable(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
    }

    /// <summary>Number of requests waiting for replies.</summary>
    public int Count => _pending.Count;

    /// <summary>A fresh message id.</summary>
    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>
    /// Tracks <paramref name="pending"/> until its final reply, a failure, <paramref name="timeout"/> or
    /// <paramref name="cancellationToken"/>. On timeout or cancellation the sink fails and <paramref name="onAbandoned"/> runs.
    /// </summary>
    public void Add(PendingRequest pending, TimeSpan? timeout, CancellationToken cancellationToken, Action<PendingRequest>? onAbandoned)
    {
        if (!_pending.TryAdd(pending.Id, pending))
        {
            throw new InvalidOperationException($"message id {pending.Id} is already pending");
        }

        if (timeout is { } limit && limit != Timeout.InfiniteTimeSpan)
        {
            pending.Deadline = _timeProvider.GetUtcNow() + limit;
            pending.SetTimer(_timeProvider.CreateTimer(
                _ => Abandon(pending, new GrainCallTimeoutException($"{pending.Description} got no response within {limit.TotalSeconds:0.###} s"), onAbandoned),
                null,
                limit,
                Timeout.InfiniteTimeSpan));
        }

        if (cancellationToken.CanBeCanceled)
        {
            pending.SetCancellation(cancellationToken.UnsafeRegister(
                _ => Abandon(pending, new OperationCanceledException($"{pending.Description} was cancelled by the caller", cancellationToken), onAbandoned),
                null));
        }
    }

    /// <summary>The pending request with <paramref name="id"/>, if any.</summary>
    public bool TryGet(long id, out PendingRequest pending) => _pending.TryGetValue(id, out pending!);

    /// <summary>Hands <paramref name="reply"/> to its request's sink (and forgets the request when the reply is final).</summary>
    /// <returns>False when no such request is pending (it timed out, was cancelled, or the reply is a duplicate).</returns>
    public bool TryDeliver(Message reply)
    {
        if (reply.Rejection != RejectionReason.None
            && _pending.TryGetValue(reply.Id, out var rejected)
            && rejected.RejectionHandler?.Invoke(rejected, reply) == true)
        {
            return true;
        }

        if (reply.IsFinalReply)
        {
            if (!_pending.TryRemove(reply.Id, out var finished))
            {
                return false;
            }

            finished.Dispose();
            finished.Sink.OnReply(reply);
            return true;
        }

        if (!_pending.TryGetValue(reply.Id, out var streaming))
        {
            return false;
        }

        streaming.Sink.OnReply(reply);
        return true;
    }

    /// <summary>Ends request <paramref name="id"/> with <paramref name="exception"/>.</summary>
    public bool TryFail(long id, Exception exception)
    {
        if (!_pending.TryRemove(id, out var pending))
        {
            return false;
        }

        pending.Dispose();
        pending.Sink.OnFailure(exception);
        return true;
    }

    /// <summary>Forgets request <paramref name="id"/> without telling its sink (the consumer left).</summary>
    public bool TryRemove(long id, out PendingRequest pending)
    {
        if (!_pending.TryRemove(id, out pending!))
        {
            return false;
        }

        pending.Dispose();
        return true;
    }

    /// <summary>Ends every request matching <paramref name="predicate"/> with the exception <paramref name="error"/> makes for it.</summary>
    /// <returns>How many requests were failed.</returns>
    public int FailWhere(Func<PendingRequest, bool> predicate, Func<PendingRequest, Exception> error)
    {
        int failed = 0;
        foreach (var pending in _pending.Values)
        {
            if (predicate(pending) && TryFail(pending.Id, error(pending)))
            {
                failed++;
            }
        }

        return failed;
    }

    /// <summary>The time left until <paramref name="pending"/>'s deadline (null when it has none).</summary>
    public TimeSpan? TimeLeft(PendingRequest pending) =>
        pending.Deadline is { } deadline ? deadline - _timeProvider.GetUtcNow() : null;

    private void Abandon(PendingRequest pending, Exception reason, Action<PendingRequest>? onAbandoned)
    {
        if (!_pending.TryRemove(pending.Id, out _))
        {
            return;
        }

        pending.Dispose();
        pending.Sink.OnFailure(reason);
        onAbandoned?.Invoke(pending);
    }
}
