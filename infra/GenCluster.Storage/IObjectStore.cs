using System.Runtime.InteropServices;

namespace GenCluster.Storage;

/// <summary>
/// A flat namespace of named objects (checkpoint slices, manifests, artifacts) with ETags. Every object carries
/// the SHA-256 of its bytes, computed while writing and verified while reading, so a truncated or altered object
/// is refused rather than trusted. Names are '/'-separated paths of [A-Za-z0-9._-] segments.
/// </summary>
/// <remarks>Implementations: <c>FileSystemObjectStore</c> (the embedded default) and the Azure Blob store.</remarks>
public interface IObjectStore
{
    /// <summary>Where the objects live, for logs and errors (never a secret).</summary>
    string Location { get; }

    /// <summary>
    /// Writes <paramref name="content"/> (read to its end) as <paramref name="name"/> when <paramref name="condition"/>
    /// holds at the moment the write commits; a failed or cancelled write leaves no visible object and no change.
    /// </summary>
    /// <remarks><paramref name="progress"/> receives the number of bytes written so far, for long writes.</remarks>
    /// <returns>The properties of the object as written, with its new ETag and SHA-256.</returns>
    /// <exception cref="ObjectConditionFailedException">The condition did not hold; nothing was written.</exception>
    Task<ObjectProperties> PutAsync(string name, Stream content, WriteCondition condition, CancellationToken cancellationToken, IProgress<long>? progress = null);

    /// <summary>
    /// Writes the bytes of <paramref name="content"/> as <paramref name="name"/>, like the <see cref="Stream"/> overload,
    /// for a caller that has them in memory anyway (a checkpoint slice): a store may then hash and write them in place.
    /// The caller must not change them until the returned task completes.
    /// </summary>
    /// <remarks>The default wraps the bytes in a read-only <see cref="MemoryStream"/> (copying them only when they are not an array's).</remarks>
    /// <returns>The properties of the object as written, with its new ETag and SHA-256.</returns>
    /// <exception cref="ObjectConditionFailedException">The condition did not hold; nothing was written.</exception>
    async Task<ObjectProperties> PutAsync(string name, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken cancellationToken, IProgress<long>? progress = null)
    {
        var array = MemoryMarshal.TryGetArray(content, out var segment) ? segment : new ArraySegment<byte>(content.ToArray());
        using var stream = new MemoryStream(array.Array!, array.Offset, array.Count, writable: false);
        return await PutAsync(name, stream, condition, cancellationToken, progress).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens <paramref name="name"/> for reading, or returns <see langword="null"/> when it does not exist. The stream
    /// verifies length and SHA-256 as it is read: reading to the end of a damaged object throws
    /// <see cref="ObjectCorruptedException"/> instead of returning the last bytes.
    /// </summary>
    Task<ObjectReader?> OpenReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>The object's properties, or <see langword="null"/> when it does not exist.</summary>
    Task<ObjectProperties?> GetPropertiesAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every object whose name starts with <paramref name="prefix"/>, in ordinal name order.</summary>
    IAsyncEnumerable<ObjectProperties> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes <paramref name="name"/> when its ETag is <paramref name="ifMatch"/> (or unconditionally when null).</summary>
    /// <returns><see langword="false"/> when the object did not exist.</returns>
    /// <exception cref="ObjectConditionFailedException">The object's ETag differs from <paramref name="ifMatch"/>.</exception>
    Task<bool> DeleteAsync(string name, string? ifMatch, CancellationToken cancellationToken);
}
