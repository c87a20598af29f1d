namespace GenCluster.Runtime.Activation;

/// <summary>
/// The task scheduler of one activation: runs its tasks one at a time, in the order they were queued, on the thread
/// pool. This is what makes grain code single-threaded: every turn, and every continuation inside a turn, is a task
/// here.
/// </summary>
/// <remarks>
/// The scheduler is itself the thread-pool work item, queued once while it has work, and it runs a batch of tasks
/// per dispatch — no task or closure per batch, unlike a <see cref="ConcurrentExclusiveSchedulerPair"/>. A batch is
/// bounded so one busy activation yields the thread to others.
/// </remarks>
internal sealed class ActivationTaskScheduler : TaskScheduler, IThreadPoolWorkItem
{
    private const int MaxTasksPerDispatch = 64;

    [ThreadStatic]
    private static ActivationTaskScheduler? t_running;

    private readonly Queue<Task> _queue = new();
    private readonly Lock _lock = new();
    private bool _dispatching;

    /// <summary>Whether the current thread is running a task of some activation.</summary>
    public static bool IsRunningOnActivation => t_running is not null;

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => 1;

    /// <inheritdoc />
    void IThreadPoolWorkItem.Execute()
    {
        t_running = this;
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
            t_running = null;
        }

        // More work than one batch: go to the back of the thread pool's queue instead of holding the thread.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <inheritdoc />
    protected override void QueueTask(Task task)
    {
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

    // Inlining is single-threaded only when this thread is already running this activation's task.
    /// <inheritdoc />
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        !taskWasPreviouslyQueued && ReferenceEquals(t_running, this) && TryExecuteTask(task);

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_lock)
        {
            return [.. _queue];
        }
    }
}
