using System.ComponentModel;

namespace GenCluster.Runtime;

/// <summary>
/// How long received <see cref="TensorView{T}"/>s may be read: a grain call's arguments share one lease, which the
/// generated invoker ends when the method's task completes (before the runtime gives the frame back to its pool); a
/// result's lease ends when its holder disposes it. Reading a view after its lease ended throws.
/// </summary>
/// <remarks>Infrastructure for generated code; grain code does not use it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TensorViewLease
{
    private Action? _release;
    private int _ended;

    internal TensorViewLease(Action? release, bool ownedByHolder)
    {
        _release = release;
        OwnedByHolder = ownedByHolder;
    }

    /// <summary>Whether the views may no longer be read.</summary>
    public bool IsEnded => Volatile.Read(ref _ended) != 0;

    // A result's lease is ended by its holder (Dispose); an argument's by the generated invoker.
    internal bool OwnedByHolder { get; }

    /// <summary>Ends the lease (once): its views become invalid and the memory behind them may be reused.</summary>
    public void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            Interlocked.Exchange(ref _release, null)?.Invoke();
        }
    }

    internal void ThrowIfEnded()
    {
        if (IsEnded)
        {
            throw new ObjectDisposedException(
                nameof(TensorView<float>),
                OwnedByHolder
                    ? "this TensorView is a call's result that was disposed; copy what you need before disposing it"
                    : "this TensorView was a grain method's argument, and the method has completed: its received frame has been given back for reuse. Copy what you need (ToArray, CopyTo) before the method completes");
        }
    }
}
