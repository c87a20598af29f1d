using System.Diagnostics;
using GenCluster.Transport;

namespace GenCluster.Runtime.Activation;

/// <summary>
/// The task scheduler of one activation: runs its tasks one at a time, in the order they were queued, on the thread
/// pool. This is what makes grain code single-threaded: every turn, and every continuation inside a turn, is a task
/// here.
/// </summary>
/// <remarks>
/// <para>
/// The scheduler is itself the thread-pool work item, queued once while it has work, and it runs a batch of tasks
/// per dispatch — no task or closure per batch, unlike a <see cref="ConcurrentExclusiveSchedulerPair"/>. A batch is
/// bounded so one busy activation yields the thread to others.
/// </para>
/// <para>
/// Inside <see cref="AllowInlineTurns"/> (a connection's frame handler, holding no locks), a task for an idle
/// activation runs at once on the current thread instead of waking a pool thread: a request's turn until its first
/// await, or a caller's continuation when its reply arrives. It is still one task at a time (the activation is
/// marked busy meanwhile), but it holds up the connection's other frames. So when three tasks in a row run longer
/// than the inline budget, the activation queues its tasks for a while: 1 s the first time, doubling each further
/// time up to 64 s. A grain method that always computes long before its first await then holds up its connection
/// three times per window at most; a single slow run (a GC pause, the OS preempting the thread on a busy machine)
/// costs nothing. A grain that mixes long and short synchronous work is not caught by this rule.
/// </para>
/// </remarks>
internal sealed class ActivationTaskScheduler : TaskScheduler, IThreadPoolWorkItem
{
    private const int MaxTasksPerDispatch = 64;
    private const int OverrunsBeforePenalty = 3;
    private static readonly long FirstPenaltyTicks = Stopwatch.Frequency;
    private static readonly long MaxPenaltyTicks = 64 * Stopwatch.Frequency;

    // What a thread-pool work item starts with: no async-locals. An inline task runs under it, so the frame handler's
    // async-locals do not leak into grain code (a turn's task is created with flow suppressed; see ActivationData).
    private static readonly ExecutionContext CleanContext = CaptureCleanContext();

    private static readonly ContextCallback RunTask = static state =>
    {
        var (scheduler, task) = ((ActivationTaskScheduler, Task))state!;
        scheduler.TryExecuteTask(task);
    };

    [ThreadStatic]
    private static ActivationTaskScheduler? t_running;

    [ThreadStatic]
    private static bool t_inlineAllowed;

    private readonly Queue<Task> _queue = new();
    private readonly Lock _lock = new();
    private readonly long _inlineBudgetTicks;
    private bool _dispatching;

    // Set by an inline task that overran the budget (only one runs at a time): until when tasks are queued instead.
    private long _refusedUntil;
    private long _penaltyTicks;
    private int _overruns;

    /// <summary>Creates the scheduler of one activation.</summary>
    /// <param name="inlineBudget">How long a task run inline may take (see the remarks); zero never runs a task inline.</param>
    public ActivationTaskScheduler(TimeSpan inlineBudget)
    {
        _inlineBudgetTicks = (long)(inlineBudget.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Whether the current thread is running a task of some activation.</summary>
    public static bool IsRunningOnActivation => t_running is not null;

    /// <summary>Whether a task of this activation overran the inline budget recently (so its tasks are queued now).</summary>
    public bool InlineRefused => !InlineWindowOpen();

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => 1;

    /// <summary>
    /// Until the returned scope is disposed, tasks for idle activations may run on the current thread. Only for code
    /// that holds no locks and may be held up by grain code for up to the inline budget (a frame handler).
    /// </summary>
    public static InlineTurnScope AllowInlineTurns()
    {
        bool previous = t_inlineAllowed;
        t_inlineAllowed = true;
        return new InlineTurnScope(previous);
    }

    /// <inheritdoc />
    void IThreadPoolWorkItem.Execute()
    {
        var previous = t_running;
        t_running = this;

        // The frames the batch's tasks send leave together when it ends (one socket write per connection).
        using var sends = SendBatch.Begin();
        try
        {
            for (int i = 0; i < MaxTasksPerDispatch; i++)
            {
                Task? task;
                lock (_lock)
                {
                    if (!_queue.TryDequeue(out task))
                    {
                        _dispatching = false;
                        return;
                    }
                }

                TryExecuteTask(task);
            }
        }
        finally
        {
            t_running = previous;
        }

        // More work than one batch: go to the back of the thread pool's queue instead of holding the thread.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <inheritdoc />
    protected override void QueueTask(Task task)
    {
        if (MayRunInlineHere() && TryRunInline(task))
        {
            return;
        }

        lock (_lock)
        {
            _queue.Enqueue(task);
            if (_dispatching)
            {
                return;
            }

            _dispatching = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    // Inlining is single-threaded when this thread is already running this activation's task, or when the activation
    // is idle and the thread is a frame handler's (which marks the activation busy while it runs the task).
    /// <inheritdoc />
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued)
    {
        if (taskWasPreviouslyQueued)
        {
            return false;
        }

        if (ReferenceEquals(t_running, this))
        {
            return TryExecuteTask(task);
        }

        return MayRunInlineHere() && TryRunInline(task);
    }

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_lock)
        {
            return [.. _queue];
        }
    }

    // Never nested in another activation's task: a grain calling a grain on this silo still queues the callee.
    private bool MayRunInlineHere() => t_inlineAllowed && t_running is null && InlineWindowOpen();

    private bool InlineWindowOpen()
    {
        if (_inlineBudgetTicks <= 0)
        {
            return false;
        }

        long until = Volatile.Read(ref _refusedUntil);
        return until == 0 || Stopwatch.GetTimestamp() >= until;
    }

    private bool TryRunInline(Task task)
    {
        lock (_lock)
        {
            // Not dispatching means nothing is queued either.
            if (_dispatching)
            {
                return false;
            }

            _dispatching = true;
        }

        long started = Stopwatch.GetTimestamp();
        t_running = this;
        try
        {
            ExecutionContext.Run(CleanContext, RunTask, (this, task));
        }
        finally
        {
            t_running = null;
            long finished = Stopwatch.GetTimestamp();
            if (finished - started <= _inlineBudgetTicks)
            {
                _overruns = 0;
            }
            else if (++_overruns == OverrunsBeforePenalty)
            {
                // Several in a row: the work itself is long, not one unlucky run (a GC pause, the OS preempting us).
                _overruns = 0;
                _penaltyTicks = _penaltyTicks == 0 ? FirstPenaltyTicks : Math.Min(_penaltyTicks * 2, MaxPenaltyTicks);
                Volatile.Write(ref _refusedUntil, finished + _penaltyTicks);
            }

            bool more;
            lock (_lock)
            {
                more = _queue.Count > 0;
                _dispatching = more;
            }

            if (more)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
            }
        }

        return true;
    }

    private static ExecutionContext CaptureCleanContext()
    {
        // A new thread started without flowing ours has no async-locals; what it captures is the default context.
        ExecutionContext? captured = null;
        var thread = new Thread(() => captured = ExecutionContext.Capture());
        thread.UnsafeStart();
        thread.Join();
        return captured!;
    }

    /// <summary>Ends <see cref="AllowInlineTurns"/> (restores what the thread allowed before).</summary>
    internal readonly struct InlineTurnScope : IDisposable
    {
        private readonly bool _previous;

        internal InlineTurnScope(bool previous)
        {
            _previous = previous;
        }

        /// <inheritdoc />
        public void Dispose() => t_inlineAllowed = _previous;
    }
}
