namespace GenCluster.MessagePack;

/// <summary>
/// Bounds applied by <see cref="MessagePackReader"/> to untrusted input. Every limit is checked before any
/// memory is allocated or any byte past the announced header is touched.
/// </summary>
public sealed class MessagePackReaderOptions
{
    private readonly int _maxDepth = 64;
    private readonly int _maxStringLength = 16 * 1024 * 1024;
    private readonly int _maxBinaryLength = 1024 * 1024 * 1024;
    private readonly int _maxCollectionLength = 16 * 1024 * 1024;
    private readonly long _maxTotalBytes = 1L << 31;

    /// <summary>The defaults: depth 64, strings 16 MiB, binary/extension 1 GiB, collections 16 Mi elements, 2 GiB in total.</summary>
    public static MessagePackReaderOptions Default { get; } = new();

    /// <summary>Maximum nesting of arrays and maps (a top-level array is depth 1). Default 64.</summary>
    public int MaxDepth
    {
        get => _maxDepth;
        init => _maxDepth = Positive(value);
    }

    /// <summary>Maximum length in bytes of a string. Default 16 MiB.</summary>
    public int MaxStringLength
    {
        get => _maxStringLength;
        init => _maxStringLength = NonNegative(value);
    }

    /// <summary>Maximum length in bytes of a binary value or of an extension's data. Default 1 GiB.</summary>
    public int MaxBinaryLength
    {
        get => _maxBinaryLength;
        init => _maxBinaryLength = NonNegative(value);
    }

    /// <summary>Maximum number of elements of an array, or of entries of a map. Default 16 Mi.</summary>
    public int MaxCollectionLength
    {
        get => _maxCollectionLength;
        init => _maxCollectionLength = NonNegative(value);
    }

    /// <summary>Maximum number of bytes one reader may consume. Default 2 GiB.</summary>
    public long MaxTotalBytes
    {
        get => _maxTotalBytes;
        init => _maxTotalBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive");
    }

    private static int Positive(int value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive");

    private static int NonNegative(int value) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must not be negative");
}
