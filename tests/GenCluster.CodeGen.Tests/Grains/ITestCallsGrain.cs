using GenCluster.CodeGen.Tests.Contracts;
using GenCluster.Runtime;

namespace GenCluster.CodeGen.Tests.Grains;

/// <summary>Every call shape a grain interface may have: 0..5 arguments, results, no result, exceptions, streams, tokens.</summary>
public interface ITestCallsGrain : IGrainWithStringKey
{
    Task<int> GetAnswer();

    Task<string> Echo(string text);

    Task<int> Add(int a, int b);

    ValueTask<double> Combine(int a, double b, string c);

    Task<string> Describe(int a, long b, string? c, Measurement d);

    Task<List<int>> Five(int a, short b, byte c, ulong d, Color e);

    Task Record(string note);

    ValueTask Reset();

    Task<IReadOnlyList<string>> GetNotes();

    Task Fail(string message);

    Task<int> FailSynchronously();

    IAsyncEnumerable<Point> Count(int from, int count, CancellationToken cancellationToken);

    Task<bool> WaitForCancellation(TimeSpan timeout, CancellationToken cancellationToken);

    [OneWay]
    Task Notify(string message);

    [AlwaysInterleave]
    Task<int> Peek();

    [Alias("renamed-method")]
    Task<int> Aliased(int x);

    Task<string> Overloaded(int x);

    Task<string> Overloaded(long x);

    Task<float[]> Scale(float[] values, float factor);

    /// <summary>A large array that the grain never changes, sent by reference.</summary>
    [ResultByReference]
    Task<float[]> Shared();

    /// <summary>The same array, copied as the method returns.</summary>
    Task<float[]> SharedCopied();

    Task<Envelope<Measurement>?> Wrap(Measurement? measurement);

    Task<(int Sum, string Joined)> Summarize(Dictionary<string, int> counts);
}
