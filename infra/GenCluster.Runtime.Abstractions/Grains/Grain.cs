namespace GenCluster.Runtime;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReason
{
    /// <summary>Nobody called it for the configured idle time.</summary>
    Idle,

    /// <summary>The grain asked for it (<see cref="Grain.DeactivateOnIdle"/>).</summary>
    Requested,

    /// <summary>The silo is shutting down.</summary>
    ShuttingDown,

    /// <summary>Activation failed.</summary>
    ActivationFailed,
}

/// <summary>
/// Base class of grain implementations, as Orleans' <c>Grain</c>: one activation per grain id in
/// the cluster, one turn at a time unless <see cref="ReentrantAttribute"/> says otherwise.
/// </summary>
public abstract class Grain
{
    private IGrainContext? _context;

    /// <summary>The runtime context; set before <see cref="OnActivateAsync"/>.</summary>
    public IGrainContext GrainContext
    {
        get => _context ?? throw new InvalidOperationException("the grain is not activated by a runtime yet");
        internal set => _context = value;
    }

    /// <summary>The grain's identity.</summary>
    public GrainId GrainId => GrainContext.GrainId;

    /// <summary>Creates references to other grains.</summary>
    protected IGrainFactory GrainFactory => GrainContext.GrainFactory;

    /// <summary>The string key of this grain.</summary>
    public string GetPrimaryKeyString() => GrainId.Key;

    /// <summary>Runs before the first request; an exception fails the activation and the request.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs when the activation is removed; persist what must survive here.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Starts a timer whose callbacks run as turns of this activation.</summary>
    protected IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        GrainContext.RegisterTimer(callback, dueTime, period);

    /// <summary>Deactivates this grain once the current turn ends.</summary>
    protected void DeactivateOnIdle() => GrainContext.DeactivateOnIdle();

    /// <summary>Binds a grain instance to its runtime context (called by the runtime).</summary>
    public static void Bind(Grain grain, IGrainContext context)
    {
        ArgumentNullException.ThrowIfNull(grain);
        grain.GrainContext = context;
    }
}
