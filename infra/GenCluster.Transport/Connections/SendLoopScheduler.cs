using System.IO.Pipelines;

namespace GenCluster.Transport;

/// <summary>
/// Where a <see cref="SocketConnection"/>'s send loop resumes when bytes are flushed: on the thread pool, unless the
/// flushing thread asked to carry the send itself (<see cref="IInlineSendFeature"/>); then the loop's continuation is
/// kept here until that thread takes it.
/// </summary>
internal sealed class SendLoopScheduler : PipeScheduler
{
    [ThreadStatic]
    private static SendLoopScheduler? t_deferring;

    private Action<object?>? _deferredAction;
    private object? _deferredState;

    /// <inheritdoc />
    public override void Schedule(Action<object?> action, object? state)
    {
        // The pipe wakes its reader at most once per wait, so one slot is enough; anything else (a flush on another
        // thread, a cancellation, completing the pipe) wakes the loop on the thread pool as before.
        if (ReferenceEquals(t_deferring, this) && _deferredAction is null)
        {
            _deferredState = state;
            Volatile.Write(ref _deferredAction, action);
            return;
        }

        System.Threading.ThreadPool.UnsafeQueueUserWorkItem(action, state, preferLocal: false);
    }

    /// <summary>Until <see cref="TryTakeDeferred"/> on this thread, a wake-up of the send loop from this thread is kept.</summary>
    public void Defer() => t_deferring = this;

    /// <summary>Stops deferring on this thread and takes the kept wake-up, if the flush made one.</summary>
    public bool TryTakeDeferred(out Action<object?> action, out object? state)
    {
        if (ReferenceEquals(t_deferring, this))
        {
            t_deferring = null;
        }

        var taken = Interlocked.Exchange(ref _deferredAction, null);
        if (taken is null)
        {
            action = null!;
            state = null;
            return false;
        }

        action = taken;
        state = _deferredState;
        _deferredState = null;
        return true;
    }
}
