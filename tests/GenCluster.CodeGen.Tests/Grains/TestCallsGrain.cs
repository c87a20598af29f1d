using GenCluster.CodeGen.Tests.Contracts;
using GenCluster.Runtime;

namespace GenCluster.CodeGen.Tests.Grains;

/// <summary>Implements <see cref="ITestCallsGrain"/> plainly, so tests can tell what arrived.</summary>
public sealed class TestCallsGrain : Grain, ITestCallsGrain
{
    private readonly List<string> _notes = [];

    public CancellationToken LastToken { get; private set; }

    public Task<int> GetAnswer() => Task.FromResult(42);

    public Task<string> Echo(string text) => Task.FromResult(text);

    public Task<int> Add(int a, int b) => Task.FromResult(a + b);

    public ValueTask<double> Combine(int a, double b, string c) => ValueTask.FromResult(a + b + c.Length);

    public Task<string> Describe(int a, long b, string? c, Measurement d) =>
        Task.FromResult($"{a}|{b}|{c ?? "null"}|{d.Name}={d.Value}|{string.Join(",", d.Tags)}");

    public Task<List<int>> Five(int a, short b, byte c, ulong d, Color e) => Task.FromResult(new List<int> { a, b, c, (int)d, (int)e });

    public async Task Record(string note)
    {
        await Task.Yield();
        _notes.Add(note);
    }

    public ValueTask Reset()
    {
        _notes.Clear();
        return ValueTask.CompletedTask;
    }

    public Task<IReadOnlyList<string>> GetNotes() => Task.FromResult<IReadOnlyList<string>>(_notes.ToList());

    public async Task Fail(string message)
    {
        await Task.Yield();
        throw new InvalidOperationException(message);
    }

    public Task<int> FailSynchronously() => throw new ArgumentOutOfRangeException(nameof(FailSynchronously), "thrown before any task exists");

    public async IAsyncEnumerable<Point> Count(int from, int count, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        LastToken = cancellationToken;
        for (int i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new Point(from + i, (from + i) * (from + i));
        }
    }

    public async Task<bool> WaitForCancellation(TimeSpan timeout, CancellationToken cancellationToken)
    {
        LastToken = cancellationToken;
        try
        {
            await Task.Delay(timeout, cancellationToken);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public Task Notify(string message)
    {
        _notes.Add("notified:" + message);
        return Task.CompletedTask;
    }

    public Task<int> Peek() => Task.FromResult(_notes.Count);

    public Task<int> Aliased(int x) => Task.FromResult(-x);

    public Task<string> Overloaded(int x) => Task.FromResult("int " + x);

    public Task<string> Overloaded(long x) => Task.FromResult("long " + x);

    public Task<float[]> Scale(float[] values, float factor) => Task.FromResult(values.Select(v => v * factor).ToArray());

    /// <summary>What <see cref="Shared"/> returns: 80 KB, above the size sent by reference.</summary>
    public float[] SharedArray { get; } = Enumerable.Range(0, 20_000).Select(i => i * 0.5f).ToArray();

    public Task<float[]> Shared() => Task.FromResult(SharedArray);

    public Task<float[]> SharedCopied() => Task.FromResult(SharedArray);

    public Task<Envelope<Measurement>?> Wrap(Measurement? measurement) =>
        Task.FromResult(measurement is null ? null : new Envelope<Measurement> { Kind = "measurement", Payload = measurement });

    public Task<(int Sum, string Joined)> Summarize(Dictionary<string, int> counts) =>
        Task.FromResult((counts.Values.Sum(), string.Join(",", counts.Keys.Order(StringComparer.Ordinal))));
}
