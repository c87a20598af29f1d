namespace GenCluster.Datasets;

/// <summary>
/// The contents of one IDX file: its element type, its dimensions and its raw payload bytes.
/// </summary>
public sealed class IdxArray
{
    private readonly int[] _dimensions;
    private readonly byte[] _data;

    /// <summary>Creates an IDX array. The payload length must match the dimensions and element type.</summary>
    /// <param name="source">Where the array was read from (a path or another description), used in messages.</param>
    /// <param name="elementType">The element type of the payload.</param>
    /// <param name="dimensions">The sizes of the dimensions, outermost first.</param>
    /// <param name="data">The payload bytes, exactly as stored in the file (big-endian for multi-byte types).</param>
    /// <exception cref="ArgumentException">The payload length does not match the dimensions.</exception>
    public IdxArray(string source, IdxElementType elementType, IReadOnlyList<int> dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        _dimensions = [.. dimensions];
        long elements = 1;
        foreach (int d in _dimensions)
        {
            if (d < 0)
            {
                throw new ArgumentException($"{source}: dimension size {d} is negative.", nameof(dimensions));
            }

            elements *= d;
            if (elements > Array.MaxLength)
            {
                throw new ArgumentException($"{source}: dimensions describe more than {Array.MaxLength} elements.", nameof(dimensions));
            }
        }

        long expectedBytes = elements * IdxReader.ElementSize(elementType);
        if (expectedBytes != data.LongLength)
        {
            throw new ArgumentException(
                $"{source}: dimensions [{string.Join(", ", _dimensions)}] of {elementType} need {expectedBytes} bytes, data has {data.LongLength}.",
                nameof(data));
        }

        Source = source;
        ElementType = elementType;
        ElementCount = elements;
        _data = data;
    }

    /// <summary>Where the array was read from, as used in error messages.</summary>
    public string Source { get; }

    /// <summary>The element type of the payload.</summary>
    public IdxElementType ElementType { get; }

    /// <summary>The sizes of the dimensions, outermost first (for images: count, rows, columns).</summary>
    public IReadOnlyList<int> Dimensions => _dimensions;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _dimensions.Length;

    /// <summary>The total number of elements (the product of the dimensions).</summary>
    public long ElementCount { get; }

    /// <summary>The payload bytes, exactly as stored in the file (big-endian for multi-byte element types).</summary>
    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>The payload bytes as a span.</summary>
    public ReadOnlySpan<byte> Span => _data;
}
