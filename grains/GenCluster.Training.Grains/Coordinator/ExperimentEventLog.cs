using GenCluster.Contracts.Training;

namespace GenCluster.Training.Grains.Coordinator;

/// <summary>
/// The recent events of one experiment with gap-free sequence numbers, and a signal for watchers waiting for the next.
/// Used only from the coordinator's turns (one thread at a time).
/// </summary>
internal sealed class ExperimentEventLog(int capacity, TimeProvider time)
{
    private readonly Queue<ExperimentEvent> _events = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The last sequence number handed out.</summary>
    public long LastSequence { get; private set; }

    /// <summary>Completes when the next event is appended.</summary>
    public Task NextAppended => _next.Task;

    /// <summary>Continues the numbering after <paramref name="sequence"/> (from persisted state).</summary>
    public void ContinueAfter(long sequence) => LastSequence = Math.Max(LastSequence, sequence);

    /// <summary>Appends an event and wakes the watchers.</summary>
    public ExperimentEvent Append(ExperimentState state, StepProgress? step, string? message)
    {
        var entry = new ExperimentEvent(++LastSequence, time.GetUtcNow(), state, step, message);
        _events.Enqueue(entry);
        while (_events.Count > capacity)
        {
            _events.Dequeue();
        }

        var woken = _next;
        _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        woken.SetResult();
        return entry;
    }

    /// <summary>The kept events with sequence numbers above <paramref name="sequence"/>, oldest first.</summary>
    public IReadOnlyList<ExperimentEvent> After(long sequence) => [.. _events.Where(e => e.Sequence > sequence)];
}
