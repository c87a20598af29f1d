using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GenCluster.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GenCluster.Storage.Azure;

/// <summary>
/// Grain state in Azure Blob Storage: one block blob a state, named by <see cref="GrainStateBlobNames"/>, shared by
/// every silo of the cluster. The blob's ETag is the state's ETag, and the service decides every race: a write
/// expecting no record goes with <c>If-None-Match: *</c>, any other with <c>If-Match</c>, and a loser gets the
/// <see cref="InconsistentStateException"/> the other storages throw, never a silent overwrite.
/// </summary>
public sealed partial class AzureBlobGrainStorage : IGrainStorage
{
    private readonly BlobContainerProvisioner _container;
    private readonly string _prefix;
    private readonly ILogger<AzureBlobGrainStorage> _logger;

    /// <summary>A storage in <paramref name="options"/>' container of the account <paramref name="service"/> reaches.</summary>
    /// <param name="service">The account's client, shared with the other blob providers of the process.</param>
    /// <param name="options">The container and name prefix.</param>
    /// <param name="logger">Where lost races are logged; none when null.</param>
    /// <exception cref="ArgumentException">The container name or prefix is not usable.</exception>
    public AzureBlobGrainStorage(BlobServiceClient service, AzureBlobGrainStorageOptions options, ILogger<AzureBlobGrainStorage>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        AzureBlobConnectionOptionsValidator.AddContainerErrors(options.ContainerName, "Storage:Azure:ContainerName", errors);
        if (options.Prefix is null || (options.Prefix.Length > 0 && !options.Prefix.EndsWith('/')) || options.Prefix.StartsWith('/'))
        {
            errors.Add($"Storage:Azure:Prefix '{options.Prefix}' must be empty or end with '/' (and not start with one)");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        _container = new BlobContainerProvisioner(service.GetBlobContainerClient(options.ContainerName), options.CreateContainer);
        _prefix = options.Prefix!;
        _logger = logger ?? NullLogger<AzureBlobGrainStorage>.Instance;
    }

    /// <summary>The container's address, for messages.</summary>
    public Uri ContainerUri => _container.Container.Uri;

    /// <inheritdoc />
    public async Task<(byte[]? Data, string? Etag)> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        try
        {
            var content = (await Blob(grainId, stateName).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
            return (content.Content.ToArray(), BlobETags.Text(content.Details.ETag));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No blob, or not even the container yet: no record.
            return (null, null);
        }
    }

    /// <inheritdoc />
    public async Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken)
    {
        var blob = Blob(grainId, stateName);
        await _container.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var info = await blob.UploadAsync(
                BinaryData.FromBytes(data),
                new BlobUploadOptions { Conditions = BlobETags.Expecting(expectedEtag) },
                cancellationToken).ConfigureAwait(false);
            return BlobETags.Text(info.Value.ETag);
        }
        catch (RequestFailedException e) when (BlobETags.IsLostRace(e, expectedEtag))
        {
            throw await LostRaceAsync(blob, grainId, stateName, expectedEtag, e, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task ClearAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken)
    {
        var blob = Blob(grainId, stateName);
        if (expectedEtag is null)
        {
            // Expecting no record: nothing to delete, but a record someone else wrote is a lost race like any other.
            var stored = await StoredETagAsync(blob, cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                throw Inconsistent(grainId, stateName, stored, expectedEtag);
            }

            return;
        }

        try
        {
            await blob.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, BlobETags.Expecting(expectedEtag), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (BlobETags.IsLostRace(e, expectedEtag))
        {
            throw await LostRaceAsync(blob, grainId, stateName, expectedEtag, e, cancellationToken).ConfigureAwait(false);
        }
    }

    private BlobClient Blob(GrainId grainId, string stateName) =>
        _container.Container.GetBlobClient(GrainStateBlobNames.Of(_prefix, grainId, stateName));

    private async Task<InconsistentStateException> LostRaceAsync(
        BlobClient blob, GrainId grainId, string stateName, string? expectedEtag, RequestFailedException e, CancellationToken ct)
    {
        // The ETag that won, for the message and the caller; it may have moved on again since, which changes nothing.
        var stored = await StoredETagAsync(blob, ct).ConfigureAwait(false);
        LogLostRace(_logger, blob.Name, expectedEtag ?? "none", stored ?? "none", e.Status);
        return Inconsistent(grainId, stateName, stored, expectedEtag);
    }

    /// <summary>The blob's ETag, or null when it does not exist.</summary>
    private static async Task<string?> StoredETagAsync(BlobClient blob, CancellationToken ct)
    {
        try
        {
            return BlobETags.Text((await blob.GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false)).Value.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static InconsistentStateException Inconsistent(GrainId grainId, string stateName, string? stored, string? expected) => new(
        $"state '{stateName}' of {grainId} was changed by someone else (stored ETag {stored ?? "none"}, expected {expected ?? "none"})",
        stored,
        expected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Write of grain state blob {Name} lost a race: expected ETag {Expected}, stored {Stored} (HTTP {Status})")]
    private static partial void LogLostRace(ILogger logger, string name, string expected, string stored, int status);
}
