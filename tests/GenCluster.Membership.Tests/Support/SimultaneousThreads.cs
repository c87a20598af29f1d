namespace GenCluster.Membership.Tests.Support;

/// <summary>
/// Runs a body on several dedicated threads released together by a barrier, for races that must really overlap.
/// Dedicated threads, because blocking thread-pool threads on a barrier starves the pool (it grows about one thread
/// a second on two cores).
/// </summary>
public static class SimultaneousThreads
{
    private static readonly TimeSpan BarrierTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="body"/>(i) for i in 0..<paramref name="count"/>, each on its own thread, all starting at once.</summary>
    public static Task<T[]> RunAsync<T>(int count, Func<int, Task<T>> body)
    {
        var barrier = new Barrier(count);
        var results = Enumerable.Range(0, count).Select(_ => new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        for (var i = 0; i < count; i++)
        {
            var index = i;
            var thread = new Thread(() =>
            {
                try
                {
                    if (!barrier.SignalAndWait(BarrierTimeout))
                    {
                        throw new TimeoutException("the other threads did not reach the barrier");
                    }

                    results[index].SetResult(body(index).GetAwaiter().GetResult());
                }
                catch (Exception e)
                {
                    results[index].SetException(e);
                }
            })
            {
                IsBackground = true,
                Name = $"contender-{index}",
            };
            thread.Start();
        }

        return WhenAllThenDispose(results.Select(result => result.Task), barrier);
    }

    private static async Task<T[]> WhenAllThenDispose<T>(IEnumerable<Task<T>> tasks, Barrier barrier)
    {
        try
        {
            return await Task.WhenAll(tasks);
        }
        finally
        {
            barrier.Dispose();
        }
    }
}
