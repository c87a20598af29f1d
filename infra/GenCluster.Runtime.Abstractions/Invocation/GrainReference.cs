namespace GenCluster.Runtime.Invocation;

/// <summary>Base class of generated grain proxies: a grain id plus the runtime that delivers calls.</summary>
public abstract class GrainReference(GrainId grainId, IGrainCallInvoker invoker)
{
    /// <summary>The grain this reference points at.</summary>
    public GrainId GrainId { get; } = grainId;

    /// <summary>The runtime that delivers calls.</summary>
    protected IGrainCallInvoker Invoker { get; } = invoker ?? throw new ArgumentNullException(nameof(invoker));

    /// <inheritdoc />
    public override string ToString() => $"GrainReference({GrainId})";
}
