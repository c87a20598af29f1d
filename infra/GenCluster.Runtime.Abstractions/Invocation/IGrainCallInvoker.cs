namespace GenCluster.Runtime.Invocation;

/// <summary>
/// The runtime side of a grain reference: sends a call (arguments already serialized as one
/// MessagePack array) to wherever the grain is activated and returns its result.
/// </summary>
public interface IGrainCallInvoker
{
    /// <summary>Calls a method returning a value.</summary>
    Task<TResult> InvokeAsync<TResult>(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken);

    /// <summary>Calls a method returning no value (or a one-way method, which completes once sent).</summary>
    Task InvokeAsync(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken);

    /// <summary>Calls a streaming method; items arrive as the grain yields them.</summary>
    IAsyncEnumerable<TItem> InvokeStreamAsync<TItem>(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken);
}
