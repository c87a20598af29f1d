using GenCluster.MessagePack;

namespace GenCluster.Runtime;

/// <summary>Which element types a <see cref="TensorView{T}"/> may have, and their NumPy type strings.</summary>
internal static class TensorViewTypes
{
    public static string DTypeOf<T>()
        where T : unmanaged =>
        typeof(T) == typeof(float) ? TensorDType.Float32
        : typeof(T) == typeof(double) ? TensorDType.Float64
        : typeof(T) == typeof(long) ? TensorDType.Int64
        : typeof(T) == typeof(int) ? TensorDType.Int32
        : throw new NotSupportedException($"TensorView<{typeof(T).Name}>: the element type must be float, double, long or int");

    public static bool IsSupported(Type elementType) =>
        elementType == typeof(float) || elementType == typeof(double) || elementType == typeof(long) || elementType == typeof(int);
}
