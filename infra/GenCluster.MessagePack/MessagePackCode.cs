namespace GenCluster.MessagePack;

/// <summary>First bytes ("format codes") defined by the MessagePack specification.</summary>
public static class MessagePackCode
{
    /// <summary>Smallest positive fixint (0).</summary>
    public const byte MinFixInt = 0x00;

    /// <summary>Largest positive fixint (127).</summary>
    public const byte MaxFixInt = 0x7f;

    /// <summary>fixmap with 0 entries; the low nibble holds the entry count.</summary>
    public const byte MinFixMap = 0x80;

    /// <summary>fixmap with 15 entries.</summary>
    public const byte MaxFixMap = 0x8f;

    /// <summary>fixarray with 0 elements; the low nibble holds the element count.</summary>
    public const byte MinFixArray = 0x90;

    /// <summary>fixarray with 15 elements.</summary>
    public const byte MaxFixArray = 0x9f;

    /// <summary>fixstr of 0 bytes; the low 5 bits hold the byte length.</summary>
    public const byte MinFixStr = 0xa0;

    /// <summary>fixstr of 31 bytes.</summary>
    public const byte MaxFixStr = 0xbf;

    /// <summary>nil.</summary>
    public const byte Nil = 0xc0;

    /// <summary>The reserved byte the specification says is never used.</summary>
    public const byte NeverUsed = 0xc1;

    /// <summary>false.</summary>
    public const byte False = 0xc2;

    /// <summary>true.</summary>
    public const byte True = 0xc3;

    /// <summary>bin 8: 1-byte length.</summary>
    public const byte Bin8 = 0xc4;

    /// <summary>bin 16: 2-byte big-endian length.</summary>
    public const byte Bin16 = 0xc5;

    /// <summary>bin 32: 4-byte big-endian length.</summary>
    public const byte Bin32 = 0xc6;

    /// <summary>ext 8: 1-byte length, then the type byte.</summary>
    public const byte Ext8 = 0xc7;

    /// <summary>ext 16: 2-byte big-endian length, then the type byte.</summary>
    public const byte Ext16 = 0xc8;

    /// <summary>ext 32: 4-byte big-endian length, then the type byte.</summary>
    public const byte Ext32 = 0xc9;

    /// <summary>float 32 (IEEE 754 single, big-endian).</summary>
    public const byte Float32 = 0xca;

    /// <summary>float 64 (IEEE 754 double, big-endian).</summary>
    public const byte Float64 = 0xcb;

    /// <summary>uint 8.</summary>
    public const byte UInt8 = 0xcc;

    /// <summary>uint 16.</summary>
    public const byte UInt16 = 0xcd;

    /// <summary>uint 32.</summary>
    public const byte UInt32 = 0xce;

    /// <summary>uint 64.</summary>
    public const byte UInt64 = 0xcf;

    /// <summary>int 8.</summary>
    public const byte Int8 = 0xd0;

    /// <summary>int 16.</summary>
    public const byte Int16 = 0xd1;

    /// <summary>int 32.</summary>
    public const byte Int32 = 0xd2;

    /// <summary>int 64.</summary>
    public const byte Int64 = 0xd3;

    /// <summary>fixext 1: type byte and 1 data byte.</summary>
    public const byte FixExt1 = 0xd4;

    /// <summary>fixext 2: type byte and 2 data bytes.</summary>
    public const byte FixExt2 = 0xd5;

    /// <summary>fixext 4: type byte and 4 data bytes.</summary>
    public const byte FixExt4 = 0xd6;

    /// <summary>fixext 8: type byte and 8 data bytes.</summary>
    public const byte FixExt8 = 0xd7;

    /// <summary>fixext 16: type byte and 16 data bytes.</summary>
    public const byte FixExt16 = 0xd8;

    /// <summary>str 8: 1-byte length.</summary>
    public const byte Str8 = 0xd9;

    /// <summary>str 16: 2-byte big-endian length.</summary>
    public const byte Str16 = 0xda;

    /// <summary>str 32: 4-byte big-endian length.</summary>
    public const byte Str32 = 0xdb;

    /// <summary>array 16: 2-byte big-endian element count.</summary>
    public const byte Array16 = 0xdc;

    /// <summary>array 32: 4-byte big-endian element count.</summary>
    public const byte Array32 = 0xdd;

    /// <summary>map 16: 2-byte big-endian entry count.</summary>
    public const byte Map16 = 0xde;

    /// <summary>map 32: 4-byte big-endian entry count.</summary>
    public const byte Map32 = 0xdf;

    /// <summary>Smallest negative fixint byte (encodes -32).</summary>
    public const byte MinNegativeFixInt = 0xe0;

    /// <summary>Largest negative fixint byte (encodes -1).</summary>
    public const byte MaxNegativeFixInt = 0xff;

    /// <summary>The extension type reserved by the specification for timestamps.</summary>
    public const sbyte TimestampExtensionType = -1;

    /// <summary>Maps a first byte to the type family it announces.</summary>
    /// <param name="code">The first byte of an encoded value.</param>
    /// <returns>The type family; <see cref="MessagePackType.Invalid"/> for <c>0xc1</c>.</returns>
    public static MessagePackType ToMessagePackType(byte code) => code switch
    {
        <= MaxFixInt => MessagePackType.Integer,
        <= MaxFixMap => MessagePackType.Map,
        <= MaxFixArray => MessagePackType.Array,
        <= MaxFixStr => MessagePackType.String,
        Nil => MessagePackType.Nil,
        NeverUsed => MessagePackType.Invalid,
        False or True => MessagePackType.Boolean,
        Bin8 or Bin16 or Bin32 => MessagePackType.Binary,
        Ext8 or Ext16 or Ext32 => MessagePackType.Extension,
        Float32 or Float64 => MessagePackType.Float,
        >= UInt8 and <= Int64 => MessagePackType.Integer,
        >= FixExt1 and <= FixExt16 => MessagePackType.Extension,
        Str8 or Str16 or Str32 => MessagePackType.String,
        Array16 or Array32 => MessagePackType.Array,
        Map16 or Map32 => MessagePackType.Map,
        _ => MessagePackType.Integer, // 0xe0..0xff negative fixint
    };
}
