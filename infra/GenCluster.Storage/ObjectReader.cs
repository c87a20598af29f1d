namespace GenCluster.Storage;

/// <summary>An open object: its properties and a stream that verifies them as it is read.</summary>
public sealed class ObjectReader(ObjectProperties properties, Stream content) : IAsyncDisposable, IDisposable
{
    /// <summary>The object's properties when it was opened.</summary>
    public ObjectProperties Properties { get; } = properties;

    /// <summary>The bytes; throws <see cref="ObjectCorruptedException"/> at the end when length or SHA-256 differ.</summary>
    public Stream Content { get; } = content;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => Content.Dispose();
}
