using GenCluster.MessagePack;

namespace GenCluster.Runtime;

/// <summary>Makes <see cref="TensorView{T}"/>s over your own memory (no copy).</summary>
public static class TensorView
{
    /// <summary>A one-dimensional view of all of <paramref name="array"/>.</summary>
    /// <typeparam name="T"><c>float</c>, <c>double</c>, <c>long</c> or <c>int</c>.</typeparam>
    /// <param name="array">The elements; referenced, not copied.</param>
    /// <returns>The view.</returns>
    public static TensorView<T> Of<T>(T[] array)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        return Of<T>(array.AsMemory());
    }

    /// <summary>A one-dimensional view of <paramref name="length"/> elements of <paramref name="array"/> from <paramref name="start"/>.</summary>
    /// <typeparam name="T"><c>float</c>, <c>double</c>, <c>long</c> or <c>int</c>.</typeparam>
    /// <param name="array">The elements; referenced, not copied.</param>
    /// <param name="start">First element.</param>
    /// <param name="length">Number of elements.</param>
    /// <returns>The view.</returns>
    public static TensorView<T> Of<T>(T[] array, int start, int length)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        return Of<T>(array.AsMemory(start, length));
    }

    /// <summary>A one-dimensional view of <paramref name="elements"/> (an array slice or other memory, e.g. native).</summary>
    /// <typeparam name="T"><c>float</c>, <c>double</c>, <c>long</c> or <c>int</c>.</typeparam>
    /// <param name="elements">The elements; referenced, not copied.</param>
    /// <returns>The view.</returns>
    public static TensorView<T> Of<T>(ReadOnlyMemory<T> elements)
        where T : unmanaged => Of(elements, [elements.Length]);

    /// <summary>A view of <paramref name="elements"/> with dimensions <paramref name="shape"/> (row-major).</summary>
    /// <typeparam name="T"><c>float</c>, <c>double</c>, <c>long</c> or <c>int</c>.</typeparam>
    /// <param name="elements">The elements; referenced, not copied.</param>
    /// <param name="shape">Dimensions whose product is the element count.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentException">A negative dimension, or a product other than the element count.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no tensor dtype here.</exception>
    public static TensorView<T> Of<T>(ReadOnlyMemory<T> elements, ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        _ = TensorViewTypes.DTypeOf<T>();
        long product = 1;
        foreach (long dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(shape));
            product = dimension == 0 || product == 0 ? 0 : checked(product * dimension);
        }

        if (product != elements.Length)
        {
            throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] has {product} elements, the memory {elements.Length}", nameof(shape));
        }

        return new TensorView<T>(ArrayBytes.Lend(elements), shape.ToArray(), lease: null);
    }

    // A view over bytes nobody else holds (a copy, a handed-over array): valid for as long as it is referenced.
    internal static TensorView<T> Owning<T>(T[] elements, long[] shape)
        where T : unmanaged => new(ArrayBytes.Of(elements), shape, lease: null);
}
