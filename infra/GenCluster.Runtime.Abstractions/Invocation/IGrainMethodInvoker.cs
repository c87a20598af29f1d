namespace GenCluster.Runtime.Invocation;

/// <summary>The result of a dispatched call: a serialized value, or a stream of serialized items.</summary>
public readonly struct GrainCallResult
{
    private GrainCallResult(ReadOnlyMemory<byte> value, IAsyncEnumerable<ReadOnlyMemory<byte>>? stream)
    {
        Value = value;
        Stream = stream;
    }

    /// <summary>The serialized return value (nil for methods without one).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>Serialized items of a streaming method, or null.</summary>
    public IAsyncEnumerable<ReadOnlyMemory<byte>>? Stream { get; }

    public static GrainCallResult FromValue(ReadOnlyMemory<byte> value) => new(value, null);

    public static GrainCallResult FromStream(IAsyncEnumerable<ReadOnlyMemory<byte>> stream) => new(default, stream);
}

/// <summary>
/// Generated per grain interface: deserializes a call's arguments, invokes the method on the grain
/// instance and serializes the result — a switch on the method id, no reflection.
/// </summary>
public interface IGrainMethodInvoker
{
    /// <summary>The grain interface this invoker dispatches.</summary>
    Type InterfaceType { get; }

    /// <summary>Stable id of the interface.</summary>
    uint InterfaceId { get; }

    /// <summary>The method with <paramref name="methodId"/>, or null when the interface has none.</summary>
    GrainMethod? FindMethod(uint methodId);

    /// <summary>Invokes method <paramref name="methodId"/> on <paramref name="grain"/>.</summary>
    ValueTask<GrainCallResult> InvokeAsync(object grain, uint methodId, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken);
}
