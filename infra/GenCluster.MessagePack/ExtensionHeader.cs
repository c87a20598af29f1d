namespace GenCluster.MessagePack;

/// <summary>The header of an extension value: its application-defined type and the length of its data.</summary>
/// <param name="TypeCode">The extension type (-128..127; negative types are reserved by the specification).</param>
/// <param name="Length">The length in bytes of the data that follows the header.</param>
public readonly record struct ExtensionHeader(sbyte TypeCode, uint Length);
