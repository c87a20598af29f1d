using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GenCluster.Membership;
using GenCluster.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenCluster.Storage.Azure;

/// <summary>
/// The membership table as one JSON blob (the file table's format), shared by the silos of a cluster wherever they
/// run. Every change reads the blob with its ETag, applies the same transition as the file table
/// (<see cref="SingleDocumentMembershipTable"/>) and writes the
/// result back on condition that the ETag still holds (<c>If-Match</c>; <c>If-None-Match: *</c> for the first
/// write), so the service serialises the writers: a writer whose blob moved on re-reads and decides again, a bounded
/// number of times. Reads are one GET and never see a half-written table.
/// </summary>
public sealed partial class AzureBlobMembershipTable : SingleDocumentMembershipTable
{
    private const double MaxRetryDelayMilliseconds = 1000;

    private readonly AzureBlobMembershipTableOptions _options;
    private readonly BlobContainerProvisioner _container;
    private readonly BlobClient _blob;
    private readonly ILogger<AzureBlobMembershipTable> _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>A table in the blob <paramref name="options"/> names, in the account <paramref name="service"/> reaches.</summary>
    /// <param name="service">The account's client, shared with the other blob providers of the process.</param>
    /// <param name="options">Container, blob name and retry settings.</param>
    /// <param name="logger">Where lost races are logged.</param>
    /// <param name="timeProvider">Times the pauses between attempts.</param>
    /// <exception cref="ArgumentException">The container or blob name, or the retry settings, are not usable.</exception>
    public AzureBlobMembershipTable(
        BlobServiceClient service, IOptions<AzureBlobMembershipTableOptions> options, ILogger<AzureBlobMembershipTable> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        var errors = new List<string>();
        AzureBlobConnectionOptionsValidator.AddContainerErrors(_options.ContainerName, "Membership:Azure:ContainerName", errors);
        if (string.IsNullOrWhiteSpace(_options.BlobName) || _options.BlobName.Length > 1024 || _options.BlobName.EndsWith('/') || _options.BlobName.EndsWith('.'))
        {
            errors.Add($"Membership:Azure:BlobName '{_options.BlobName}' is not a usable blob name (1-1024 characters, not ending with '/' or '.')");
        }

        if (_options.MaxAttempts < 1 || _options.RetryDelay < TimeSpan.Zero)
        {
            errors.Add("Membership:Azure:MaxAttempts must be at least 1 and RetryDelay not negative");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        _container = new BlobContainerProvisioner(service.GetBlobContainerClient(_options.ContainerName), _options.CreateContainer);
        _blob = _container.Container.GetBlobClient(_options.BlobName);
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>A table in <paramref name="blobName"/> of <paramref name="containerName"/> with default retry settings.</summary>
    public AzureBlobMembershipTable(BlobServiceClient service, string containerName, string blobName = "membership.json")
        : this(
            service,
            Options.Create(new AzureBlobMembershipTableOptions { ContainerName = containerName, BlobName = blobName }),
            NullLogger<AzureBlobMembershipTable>.Instance,
            TimeProvider.System)
    {
    }

    /// <summary>The table's blob.</summary>
    public Uri BlobUri => _blob.Uri;

    /// <inheritdoc />
    public override async Task<MembershipTableSnapshot> ReadAllAsync(CancellationToken ct) => (await ReadBlobAsync(ct).ConfigureAwait(false)).Table;

    /// <inheritdoc />
    protected override string Location => BlobUri.ToString();

    /// <summary>
    /// Reads the table, asks <paramref name="change"/> for the next one (null: the table's own compare-and-swap
    /// failed, nothing is written) and writes it if the blob is still the one read; when it is not, starts over.
    /// </summary>
    /// <exception cref="TimeoutException">The blob changed under every one of <see cref="AzureBlobMembershipTableOptions.MaxAttempts"/> attempts.</exception>
    protected override async Task<bool> ChangeAsync(Func<MembershipTableSnapshot, MembershipTableSnapshot?> change, CancellationToken ct)
    {
        await _container.EnsureCreatedAsync(ct).ConfigureAwait(false);
        var started = _timeProvider.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var (table, etag) = await ReadBlobAsync(ct).ConfigureAwait(false);
            var next = change(table);
            if (next is null)
            {
                return false;
            }

            try
            {
                await _blob.UploadAsync(
                    BinaryData.FromBytes(MembershipTableFileFormat.Serialize(next)),
                    new BlobUploadOptions
                    {
                        Conditions = BlobETags.Expecting(etag),
                        HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                    },
                    ct).ConfigureAwait(false);
                if (attempt > 1)
                {
                    LogContended(_logger, _blob.Name, attempt, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
                }

                return true;
            }
            catch (RequestFailedException e) when (BlobETags.IsLostRace(e, etag))
            {
                if (attempt >= _options.MaxAttempts)
                {
                    throw new TimeoutException(
                        $"the membership table '{BlobUri}' changed under each of {attempt} attempts to write it "
                        + $"({_timeProvider.GetElapsedTime(started).TotalMilliseconds:0} ms); last answer: HTTP {e.Status} {e.ErrorCode}",
                        e);
                }

                await Task.Delay(RetryDelay(attempt), _timeProvider, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The table and the ETag of the blob it was read from; an empty table and no ETag when there is no blob.</summary>
    private async Task<(MembershipTableSnapshot Table, string? ETag)> ReadBlobAsync(CancellationToken ct)
    {
        BlobDownloadResult content;
        try
        {
            content = (await _blob.DownloadContentAsync(ct).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No silo has written yet (maybe not even the container exists): an empty table at version 0.
            return (EmptyTable, null);
        }

        return (MembershipTableFileFormat.Deserialize(content.Content.ToMemory().Span, BlobUri.ToString()), BlobETags.Text(content.Details.ETag));
    }

    // Exponential, each pause a random half to all of its ceiling: contenders that lost together do not come back together.
    private TimeSpan RetryDelay(int attempt)
    {
        var ceiling = Math.Min(MaxRetryDelayMilliseconds, _options.RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    [LoggerMessage(EventId = 1110, Level = LogLevel.Debug, Message = "Wrote membership table blob {Name} after {Attempts} attempts ({WaitedMilliseconds:0} ms): other silos changed it in between")]
    private static partial void LogContended(ILogger logger, string name, int attempts, double waitedMilliseconds);
}
