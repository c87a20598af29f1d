namespace GenCluster.MessagePack;

/// <summary>The type family of a MessagePack value, as announced by its first byte.</summary>
public enum MessagePackType
{
    /// <summary>The reserved first byte <c>0xc1</c>, which the specification says is never used.</summary>
    Invalid = 0,

    /// <summary>nil (<c>0xc0</c>).</summary>
    Nil,

    /// <summary>false / true (<c>0xc2</c>, <c>0xc3</c>).</summary>
    Boolean,

    /// <summary>positive/negative fixint, uint 8/16/32/64, int 8/16/32/64.</summary>
    Integer,

    /// <summary>float 32 / float 64.</summary>
    Float,

    /// <summary>fixstr, str 8/16/32 (UTF-8).</summary>
    String,

    /// <summary>bin 8/16/32.</summary>
    Binary,

    /// <summary>fixarray, array 16/32.</summary>
    Array,

    /// <summary>fixmap, map 16/32.</summary>
    Map,

    /// <summary>fixext 1/2/4/8/16, ext 8/16/32 (including the timestamp extension, type -1).</summary>
    Extension,
}
