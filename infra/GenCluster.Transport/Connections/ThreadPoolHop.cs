using System.Runtime.CompilerServices;

namespace GenCluster.Transport;

/// <summary>
/// Awaiting it continues on the thread pool, whatever scheduler the awaiting thread belongs to (unlike
/// <see cref="Task.Yield"/>, which resumes on the current <see cref="TaskScheduler"/>).
/// </summary>
internal readonly struct ThreadPoolHop : ICriticalNotifyCompletion
{
    /// <summary>Always false: the point is to leave this thread.</summary>
    public bool IsCompleted => false;

    /// <summary>The awaiter is the value itself.</summary>
    public ThreadPoolHop GetAwaiter() => this;

    /// <summary>Nothing to return.</summary>
    public void GetResult()
    {
    }

    /// <inheritdoc />
    public void OnCompleted(Action continuation) => ThreadPool.QueueUserWorkItem(static c => c(), continuation, preferLocal: false);

    /// <inheritdoc />
    public void UnsafeOnCompleted(Action continuation) => ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
}
