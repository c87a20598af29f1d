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

    /// <summary>
    /// Calls a method returning a <see cref="TensorView{T}"/> and decodes the result into <paramref name="destination"/>
    /// (see <see cref="TensorDestination{T}"/>). The default implementation receives the view, copies it and gives the
    /// reply back; an invoker that can decode the reply body itself skips the view.
    /// </summary>
    async Task<TensorView<T>> InvokeIntoAsync<T>(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, Memory<T> destination, CancellationToken cancellationToken)
        where T : unmanaged
    {
        using var result = await InvokeAsync<TensorView<T>>(target, method, arguments, cancellationToken).ConfigureAwait(false);
        if (result.IsDefault)
        {
            return default;
        }

        if (result.Length != destination.Length)
        {
            throw new GenCluster.MessagePack.MessagePackDecodeException(GenCluster.MessagePack.MessagePackDecodeError.InvalidTensor, $"the result has {result.Length} elements, its destination {destination.Length}", 0);
        }

        result.CopyTo(destination.Span);
        return TensorView.Of<T>(destination, result.Shape);
    }

    /// <summary>Calls a streaming method; items arrive as the grain yields them.</summary>
    IAsyncEnumerable<TItem> InvokeStreamAsync<TItem>(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken);
}
