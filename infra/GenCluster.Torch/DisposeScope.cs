namespace GenCluster.Torch;

/// <summary>
/// Collects the tensors created on this thread while it is open and disposes them when it is
/// disposed — native memory is invisible to the GC, so temporaries must be freed deterministically.
/// </summary>
/// <remarks>
/// Scopes nest per thread. A tensor that must outlive its scope is moved out with
/// <see cref="MoveToOuter(Tensor)"/> or <see cref="Tensor.DetachFromDisposeScope"/>.
/// A scope must be disposed on the thread that opened it.
/// </remarks>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic]
    private static DisposeScope? t_current;

    private readonly HashSet<Tensor> _tensors = new(ReferenceEqualityComparer.Instance);
    private readonly DisposeScope? _outer;
    private readonly int _threadId;
    private bool _disposed;

    internal DisposeScope()
    {
        _outer = t_current;
        _threadId = Environment.CurrentManagedThreadId;
        t_current = this;
    }

    /// <summary>The innermost open scope of the calling thread, if any.</summary>
    public static DisposeScope? Current => t_current;

    /// <summary>The number of tensors this scope will dispose.</summary>
    public int Count => _tensors.Count;

    /// <summary>Moves a tensor to the enclosing scope (or out of all scopes when this is the outermost one).</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (_tensors.Remove(tensor))
        {
            tensor.Scope = _outer;
            _outer?._tensors.Add(tensor);
        }

        return tensor;
    }

    internal void Register(Tensor tensor)
    {
        _tensors.Add(tensor);
        tensor.Scope = this;
    }

    internal void Forget(Tensor tensor) => _tensors.Remove(tensor);

    /// <summary>Disposes every tensor still registered with this scope.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (Environment.CurrentManagedThreadId != _threadId)
        {
            throw new InvalidOperationException("a DisposeScope must be disposed on the thread that opened it");
        }

        if (t_current != this)
        {
            throw new InvalidOperationException("DisposeScopes must be disposed innermost first");
        }

        _disposed = true;
        t_current = _outer;
        foreach (var tensor in _tensors)
        {
            tensor.Scope = null;
            tensor.Dispose();
        }

        _tensors.Clear();
    }
}
