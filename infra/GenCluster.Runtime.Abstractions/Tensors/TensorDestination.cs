using GenCluster.MessagePack;

namespace GenCluster.Runtime;

/// <summary>
/// Where a call's <see cref="TensorView{T}"/> result should land: a grain method parameter of this type never travels;
/// the caller's proxy decodes the result straight from the reply into this memory (one copy, no array in between, and
/// for a callee in the same silo no copy of its own either) and returns a view of it.
/// </summary>
/// <remarks>
/// A method with a destination parameter must return <c>Task&lt;TensorView&lt;T&gt;&gt;</c> or
/// <c>ValueTask&lt;TensorView&lt;T&gt;&gt;</c> of the same <typeparamref name="T"/> (the generator checks it, GC0015).
/// The grain implementing it receives the default destination and returns its result as usual. The result's element
/// count must equal the destination's length, else the call fails with a <see cref="MessagePackDecodeException"/>
/// (<see cref="MessagePackDecodeError.InvalidTensor"/>) and the destination's content is unspecified. With the
/// default destination the call behaves as without one (the result is a view over the reply, see
/// <see cref="TensorView{T}"/>).
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public readonly struct TensorDestination<T>
    where T : unmanaged
{
    private readonly bool _set;

    /// <summary>A destination over <paramref name="memory"/>.</summary>
    /// <param name="memory">Exactly as many elements as the result will have.</param>
    public TensorDestination(Memory<T> memory)
    {
        Memory = memory;
        _set = true;
    }

    /// <summary>The caller's memory.</summary>
    public Memory<T> Memory { get; }

    /// <summary>Whether no destination was given (always so on the grain's side).</summary>
    public bool IsDefault => !_set;

    /// <summary>A destination over <paramref name="memory"/>.</summary>
    /// <param name="memory">Exactly as many elements as the result will have.</param>
    public static implicit operator TensorDestination<T>(Memory<T> memory) => new(memory);

    /// <summary>A destination over all of <paramref name="array"/>.</summary>
    /// <param name="array">Exactly as many elements as the result will have.</param>
    public static implicit operator TensorDestination<T>(T[] array) => new(array);
}
