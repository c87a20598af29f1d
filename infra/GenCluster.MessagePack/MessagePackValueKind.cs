namespace GenCluster.MessagePack;

/// <summary>The kind of a <see cref="MessagePackValue"/>.</summary>
public enum MessagePackValueKind
{
    /// <summary>nil.</summary>
    Nil,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>An integer in -2^63..2^64-1.</summary>
    Integer,

    /// <summary>A float 32.</summary>
    Float32,

    /// <summary>A float 64.</summary>
    Float64,

    /// <summary>A UTF-8 string.</summary>
    String,

    /// <summary>A binary value.</summary>
    Binary,

    /// <summary>An array of values.</summary>
    Array,

    /// <summary>A map: an ordered list of key/value entries.</summary>
    Map,

    /// <summary>An extension other than the timestamp (type -1).</summary>
    Extension,

    /// <summary>A timestamp extension (type -1).</summary>
    Timestamp,
}
