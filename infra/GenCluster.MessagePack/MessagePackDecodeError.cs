namespace GenCluster.MessagePack;

/// <summary>Why a MessagePack input was rejected.</summary>
public enum MessagePackDecodeError
{
    /// <summary>The input ends before the value (or a length it announces) is complete.</summary>
    Truncated = 1,

    /// <summary>The reserved first byte <c>0xc1</c> was found.</summary>
    ReservedCode,

    /// <summary>The value is of another type than the one requested.</summary>
    UnexpectedType,

    /// <summary>An integer does not fit the requested .NET type.</summary>
    IntegerOverflow,

    /// <summary>A string is not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>Nesting is deeper than <see cref="MessagePackReaderOptions.MaxDepth"/> (or the stack would not hold it).</summary>
    DepthExceeded,

    /// <summary>A string, binary, extension or collection is longer than the configured limit.</summary>
    LengthLimitExceeded,

    /// <summary>Reading would consume more than <see cref="MessagePackReaderOptions.MaxTotalBytes"/>.</summary>
    TotalBytesExceeded,

    /// <summary>A timestamp extension (type -1) has an invalid length or nanosecond field, or is out of range.</summary>
    InvalidTimestamp,

    /// <summary>A tensor map does not follow the tensor convention.</summary>
    InvalidTensor,

    /// <summary>A frame announces a payload larger than the allowed maximum.</summary>
    FrameTooLarge,

    /// <summary>A frame is malformed (empty, or its payload is not exactly one MessagePack value).</summary>
    InvalidFrame,
}
