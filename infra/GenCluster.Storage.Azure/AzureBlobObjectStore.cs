using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using GenCluster.Storage.Integrity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Storage.Azure;

/// <summary>
/// Objects as block blobs in one container. A write hashes the bytes as it reads them; an object that fits one
/// block goes up in one request (Put Blob), a larger one as staged blocks uploaded in parallel and made visible by
/// one Put Block List. The write condition travels with that last request (<c>If-None-Match: *</c> or
/// <c>If-Match</c>), so the service decides the race: exactly one conditional writer commits. The SHA-256 and length
/// are blob metadata of the same request, checked on every read.
/// </summary>
/// <remarks>
/// Staged blocks are named with a random id per write, so concurrent writers of one name never mix their blocks.
/// A write that fails or is cancelled leaves only uncommitted blocks, which are invisible and which the service
/// discards after a week.
/// </remarks>
public sealed partial class AzureBlobObjectStore : IObjectStore
{
    /// <summary>Metadata key of the lower-case hex SHA-256 of the object's bytes.</summary>
    internal const string Sha256Key = "sha256";

    /// <summary>Metadata key of the object's length in bytes (decimal).</summary>
    internal const string LengthKey = "length";

    private readonly AzureBlobObjectStoreOptions _options;
    private readonly ILogger<AzureBlobObjectStore> _logger;
    private readonly TimeProvider _time;
    private readonly BlobContainerProvisioner _container;

    /// <summary>A store configured by <see cref="AzureBlobObjectStoreOptions"/>, connection included (for dependency injection).</summary>
    /// <exception cref="OptionsValidationException">The options are not usable.</exception>
    public AzureBlobObjectStore(IOptions<AzureBlobObjectStoreOptions> options, ILogger<AzureBlobObjectStore> logger, TimeProvider timeProvider)
        : this(ValidatedClient(options), options, logger, timeProvider, "ObjectStore:Azure")
    {
    }

    /// <summary>
    /// A store on a client shared with the process's other blob providers (<c>AddAzureBlobConnection</c>):
    /// only the store's own settings of <paramref name="options"/> count, its connection settings are ignored.
    /// </summary>
    /// <param name="service">The account's shared client.</param>
    /// <param name="options">Container, block size and parallelism.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">Times writes.</param>
    /// <param name="section">The configuration section the store's settings come from, for messages.</param>
    /// <exception cref="OptionsValidationException">The store's settings are not usable.</exception>
    public AzureBlobObjectStore(
        BlobServiceClient service, IOptions<AzureBlobObjectStoreOptions> options, ILogger<AzureBlobObjectStore> logger, TimeProvider timeProvider, string section)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        var errors = new List<string>();
        AzureBlobObjectStoreOptionsValidator.AddStoreErrors(_options, section, errors);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(AzureBlobObjectStoreOptions), typeof(AzureBlobObjectStoreOptions), errors);
        }

        _logger = logger;
        _time = timeProvider;
        _container = new BlobContainerProvisioner(service.GetBlobContainerClient(_options.ContainerName), _options.CreateContainer);
    }

    /// <summary>The container's client.</summary>
    internal BlobContainerClient Container => _container.Container;

    private static BlobServiceClient ValidatedClient(IOptions<AzureBlobObjectStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new AzureBlobObjectStoreOptionsValidator().Validate(null, options.Value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(AzureBlobObjectStoreOptions), typeof(AzureBlobObjectStoreOptions), validation.Failures);
        }

        return BlobServiceClientFactory.Create(options.Value);
    }

    /// <inheritdoc />
    public string Location => Container.Uri.ToString();

    /// <inheritdoc />
    public async Task<ObjectProperties> PutAsync(string name, Stream content, WriteCondition condition, CancellationToken cancellationToken, IProgress<long>? progress = null)
    {
        ObjectNames.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        await _container.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var started = _time.GetTimestamp();
        var blob = Container.GetBlockBlobClient(name);
        var size = _options.BlockSize;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        var first = ArrayPool<byte>.Shared.Rent(size);
        var firstOwned = true;
        try
        {
            var read = await content.ReadAtLeastAsync(first.AsMemory(0, size), size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            hash.AppendData(first, 0, read);
            BlobContentInfo info;
            long length;
            string sha256;
            if (read < size)
            {
                // Everything fits one block: one request, metadata and condition included.
                length = read;
                sha256 = Sha256Hex.Format(hash.GetHashAndReset());
                using var single = new MemoryStream(first, 0, read, writable: false);
                info = await CommitAsync(name, condition, () => blob.UploadAsync(single, new BlobUploadOptions
                {
                    Metadata = Metadata(sha256, length),
                    Conditions = Conditions(condition),
                }, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                firstOwned = false;
                var (blockIds, total) = await StageBlocksAsync(blob, content, first, hash, progress, cancellationToken).ConfigureAwait(false);
                length = total;
                sha256 = Sha256Hex.Format(hash.GetHashAndReset());
                info = await CommitAsync(name, condition, () => blob.CommitBlockListAsync(blockIds, new CommitBlockListOptions
                {
                    Metadata = Metadata(sha256, length),
                    Conditions = Conditions(condition),
                }, cancellationToken)).ConfigureAwait(false);
            }

            progress?.Report(length);
            LogWritten(_logger, name, length, _time.GetElapsedTime(started).TotalMilliseconds);
            return new ObjectProperties(name, length, BlobETags.Text(info.ETag), sha256, info.LastModified);
        }
        finally
        {
            if (firstOwned)
            {
                ArrayPool<byte>.Shared.Return(first);
            }
        }
    }

    /// <inheritdoc />
    public async Task<ObjectReader?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        ObjectNames.Validate(name);
        BlobDownloadStreamingResult download;
        try
        {
            download = (await Container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        try
        {
            var details = download.Details;
            var properties = ToProperties(name, details.ETag, details.LastModified, details.Metadata);
            if (details.ContentLength != properties.Length)
            {
                throw new ObjectCorruptedException(name, details.ContentLength < properties.Length
                    ? $"truncated: {details.ContentLength} of {properties.Length} bytes"
                    : $"longer than its recorded {properties.Length} bytes ({details.ContentLength})");
            }

            Sha256Hex.TryParse(properties.Sha256, out var expected);
            return new ObjectReader(properties, new VerifyingReadStream(download.Content, name, properties.Length, expected));
        }
        catch
        {
            download.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<ObjectProperties?> GetPropertiesAsync(string name, CancellationToken cancellationToken)
    {
        ObjectNames.Validate(name);
        try
        {
            var p = (await Container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return ToProperties(name, p.ETag, p.LastModified, p.Metadata);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ObjectProperties> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectNames.ValidatePrefix(prefix);
        var blobs = Container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix.Length == 0 ? null : prefix, cancellationToken);

        // The service lists in the order of the names' UTF-8 bytes: ordinal order for our ASCII names.
        await foreach (var item in EmptyWhenNoContainer(blobs, cancellationToken).ConfigureAwait(false))
        {
            var p = item.Properties;
            yield return ToProperties(item.Name, p.ETag ?? default, p.LastModified ?? default, item.Metadata);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string name, string? ifMatch, CancellationToken cancellationToken)
    {
        ObjectNames.Validate(name);
        var blob = Container.GetBlobClient(name);
        try
        {
            await blob.DeleteAsync(
                DeleteSnapshotsOption.IncludeSnapshots,
                ifMatch is null ? null : new BlobRequestConditions { IfMatch = new ETag(ifMatch) },
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            var actual = await GetPropertiesAsync(name, cancellationToken).ConfigureAwait(false);
            if (actual is null)
            {
                return false;
            }

            throw new ObjectConditionFailedException(name, WriteCondition.IfMatches(ifMatch!), actual.ETag, e);
        }

        LogDeleted(_logger, name);
        return true;
    }

    private async Task<(List<string> BlockIds, long Length)> StageBlocksAsync(
        BlockBlobClient blob, Stream content, byte[] first, IncrementalHash hash, IProgress<long>? progress, CancellationToken ct)
    {
        var size = _options.BlockSize;
        var writeId = RandomNumberGenerator.GetBytes(16);
        var blockIds = new List<string>();
        var inFlight = new List<(Task Upload, byte[] Buffer)>();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        long staged = 0;
        long uploaded = 0;
        var buffer = first;
        var read = size;
        try
        {
            while (true)
            {
                var id = BlockId(writeId, blockIds.Count);
                blockIds.Add(id);
                var bytes = buffer;
                var count = read;
                inFlight.Add((UploadBlockAsync(blob, id, bytes, count, failed.Token), bytes));
                staged += count;
                buffer = null;

                if (read < size)
                {
                    break;
                }

                // At most MaxParallelBlocks buffers exist: wait for an upload to finish before reading another block.
                if (inFlight.Count >= _options.MaxParallelBlocks)
                {
                    uploaded += await CompleteOneAsync(inFlight).ConfigureAwait(false);
                    progress?.Report(uploaded);
                }

                buffer = ArrayPool<byte>.Shared.Rent(size);
                read = await content.ReadAtLeastAsync(buffer.AsMemory(0, size), size, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                    break;
                }

                hash.AppendData(buffer, 0, read);
            }

            while (inFlight.Count > 0)
            {
                uploaded += await CompleteOneAsync(inFlight).ConfigureAwait(false);
                progress?.Report(uploaded);
            }

            return (blockIds, staged);
        }
        catch
        {
            // Stop the other uploads, and only hand buffers back once no request reads them any more.
            await failed.CancelAsync().ConfigureAwait(false);
            foreach (var (upload, bytes) in inFlight)
            {
                try
                {
                    await upload.ConfigureAwait(false);
                }
                catch (Exception e) when (e is RequestFailedException or OperationCanceledException or IOException)
                {
                    // The first failure is the one reported.
                }

                ArrayPool<byte>.Shared.Return(bytes);
            }

            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            throw;
        }
    }

    private static async Task<long> CompleteOneAsync(List<(Task Upload, byte[] Buffer)> inFlight)
    {
        var done = await Task.WhenAny(inFlight.Select(f => f.Upload)).ConfigureAwait(false);
        var index = inFlight.FindIndex(f => f.Upload == done);
        var (upload, bytes) = inFlight[index];
        await upload.ConfigureAwait(false);
        inFlight.RemoveAt(index);
        var length = ((Task<int>)upload).Result;
        ArrayPool<byte>.Shared.Return(bytes);
        return length;
    }

    private static async Task<int> UploadBlockAsync(BlockBlobClient blob, string id, byte[] bytes, int count, CancellationToken ct)
    {
        using var block = new MemoryStream(bytes, 0, count, writable: false);
        await blob.StageBlockAsync(id, block, new BlockBlobStageBlockOptions(), ct).ConfigureAwait(false);
        return count;
    }

    private async Task<BlobContentInfo> CommitAsync(string name, WriteCondition condition, Func<Task<Response<BlobContentInfo>>> commit)
    {
        try
        {
            return (await commit().ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (IsConditionFailure(e, condition))
        {
            LogConditionFailed(_logger, name, condition.ToString());
            string? actual = null;
            try
            {
                actual = (await GetPropertiesAsync(name, CancellationToken.None).ConfigureAwait(false))?.ETag;
            }
            catch (ObjectCorruptedException)
            {
                // Exists, but not as an object of ours: no ETag to report.
            }

            throw new ObjectConditionFailedException(name, condition, actual, e);
        }
    }

    // 412 ConditionNotMet for If-Match (and If-None-Match on Put Block List); 409 BlobAlreadyExists for
    // If-None-Match: * on Put Blob; 404 when If-Match names a blob that does not exist.
    private static bool IsConditionFailure(RequestFailedException e, WriteCondition condition) =>
        e.Status == 412 || (e.Status == 409 && condition.IfNotExists) || (e.Status == 404 && condition.IfMatch is not null);

    private static BlobRequestConditions? Conditions(WriteCondition condition) =>
        condition.IfNotExists ? new BlobRequestConditions { IfNoneMatch = ETag.All }
        : condition.IfMatch is { } etag ? new BlobRequestConditions { IfMatch = new ETag(etag) }
        : null;

    private static Dictionary<string, string> Metadata(string sha256, long length) => new()
    {
        [Sha256Key] = sha256,
        [LengthKey] = length.ToString(CultureInfo.InvariantCulture),
    };

    // Block ids must all have the same length within a blob: 16 random bytes of this write + a 4-byte index.
    private static string BlockId(byte[] writeId, int index)
    {
        Span<byte> id = stackalloc byte[20];
        writeId.CopyTo(id);
        BinaryPrimitives.WriteInt32BigEndian(id[16..], index);
        return Convert.ToBase64String(id);
    }

    private static ObjectProperties ToProperties(string name, ETag etag, DateTimeOffset lastModified, IDictionary<string, string>? metadata)
    {
        // Metadata keys come back in whatever case the service stored them.
        string? Find(string key) =>
            metadata?.FirstOrDefault(m => string.Equals(m.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

        var sha256 = Find(Sha256Key);
        if (!Sha256Hex.TryParse(sha256, out _))
        {
            throw new ObjectCorruptedException(name, "the blob has no recorded SHA-256 (not written by this store)");
        }

        if (!long.TryParse(Find(LengthKey), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new ObjectCorruptedException(name, "the blob has no recorded length (not written by this store)");
        }

        return new ObjectProperties(name, length, BlobETags.Text(etag), sha256!.ToLowerInvariant(), lastModified);
    }

    private static async IAsyncEnumerable<BlobItem> EmptyWhenNoContainer(AsyncPageable<BlobItem> blobs, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var items = blobs.GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await items.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                yield break;
            }

            yield return items.Current;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Wrote blob object {Name} ({Length} bytes) in {ElapsedMilliseconds:0.0} ms")]
    private static partial void LogWritten(ILogger logger, string name, long length, double elapsedMilliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted blob object {Name}")]
    private static partial void LogDeleted(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Write of blob object {Name} refused: the condition '{Condition}' does not hold")]
    private static partial void LogConditionFailed(ILogger logger, string name, string condition);
}
