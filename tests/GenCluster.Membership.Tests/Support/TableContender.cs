namespace GenCluster.Membership.Tests.Support;

/// <summary>
/// What one contender (a thread, or a child process) does against a shared table in the contention tests.
/// </summary>
public static class TableContender
{
    /// <summary>
    /// Increments the <c>count</c> property of <paramref name="counterPort"/>'s row <paramref name="increments"/> times
    /// by read-modify-write compare-and-swap, retrying lost races, within <paramref name="timeLimit"/>.
    /// </summary>
    /// <returns>The increments that won and the races that were lost.</returns>
    public static async Task<(int Won, int Lost)> IncrementAsync(IMembershipTable table, int counterPort, int increments, TimeSpan timeLimit)
    {
        using var timeout = new CancellationTokenSource(timeLimit);
        var won = 0;
        var lost = 0;
        while (won < increments)
        {
            var snapshot = await table.ReadAllAsync(timeout.Token);
            var row = snapshot.Find(Rows.Silo(counterPort)) ?? throw new InvalidOperationException("no counter row");
            var next = Rows.WithCount(row.Entry, Rows.Count(row.Entry) + 1);
            if (await table.UpdateRowAsync(next, row.ETag, snapshot.Version, timeout.Token))
            {
                won++;
            }
            else
            {
                lost++;
            }
        }

        return (won, lost);
    }

    /// <summary>
    /// Inserts a row for <paramref name="port"/>, re-reading the version after every lost race, within <paramref name="timeLimit"/>.
    /// </summary>
    /// <returns>The races lost before the insert won.</returns>
    public static async Task<int> InsertOwnRowAsync(IMembershipTable table, int port, TimeSpan timeLimit)
    {
        using var timeout = new CancellationTokenSource(timeLimit);
        for (var lost = 0; ; lost++)
        {
            var snapshot = await table.ReadAllAsync(timeout.Token);
            if (await table.InsertRowAsync(Rows.Entry(port), snapshot.Version, timeout.Token))
            {
                return lost;
            }
        }
    }
}
