namespace GenCluster.Storage;

/// <summary>What a store knows of one object.</summary>
/// <param name="Name">The object's name.</param>
/// <param name="Length">Its length in bytes.</param>
/// <param name="ETag">Changes with every write; the token for <see cref="WriteCondition.IfMatches"/>.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes, recorded when the object was written.</param>
/// <param name="LastModified">When the object was last written.</param>
public sealed record ObjectProperties(string Name, long Length, string ETag, string Sha256, DateTimeOffset LastModified);
