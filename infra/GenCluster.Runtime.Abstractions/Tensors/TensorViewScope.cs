using System.ComponentModel;

namespace GenCluster.Runtime;

/// <summary>
/// Marks the synchronous reading of a grain call's arguments: every <see cref="TensorView{T}"/> read meanwhile, at any
/// depth, reads the received bytes in place under one <see cref="TensorViewLease"/> (created only if a view is read),
/// which the generated invoker ends when the method completes. Outside a scope a received view copies or takes over its
/// memory instead.
/// </summary>
/// <remarks>Infrastructure for generated code; grain code does not use it. Not async: reading arguments never awaits.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct TensorViewScope
{
    [ThreadStatic]
    private static bool t_active;

    [ThreadStatic]
    private static TensorViewLease? t_lease;

    private readonly bool _outerActive;
    private readonly TensorViewLease? _outerLease;

    private TensorViewScope(bool outerActive, TensorViewLease? outerLease)
    {
        _outerActive = outerActive;
        _outerLease = outerLease;
    }

    /// <summary>The lease of the scope this thread is in, created on first use; null outside a scope.</summary>
    internal static TensorViewLease? Current => t_active ? t_lease ??= new TensorViewLease(release: null, ownedByHolder: false) : null;

    /// <summary>Starts a scope on this thread; pair with <see cref="Exit"/> in a finally block.</summary>
    /// <returns>The scope, which remembers what it replaced.</returns>
    public static TensorViewScope Enter()
    {
        var scope = new TensorViewScope(t_active, t_lease);
        t_active = true;
        t_lease = null;
        return scope;
    }

    /// <summary>Ends the scope on this thread.</summary>
    /// <returns>The lease of the views read in the scope; null when none was read.</returns>
    public TensorViewLease? Exit()
    {
        var lease = t_lease;
        t_active = _outerActive;
        t_lease = _outerLease;
        return lease;
    }
}
