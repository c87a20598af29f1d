using Azure;
using Azure.Storage.Blobs.Models;

namespace GenCluster.Storage.Azure;

/// <summary>Blob ETags as the providers hand them out, and the compare-and-swap conditions built from them.</summary>
internal static class BlobETags
{
    /// <summary>
    /// The ETag without quotes: the service quotes ETags in some answers (upload) and not in others (listing), ours
    /// are always bare. The SDK quotes a bare ETag again when it sends one in If-Match.
    /// </summary>
    public static string Text(ETag etag) => etag.ToString().Trim('"');

    /// <summary>
    /// The condition of a write that expects the blob at <paramref name="expected"/>: <c>If-Match</c>, or
    /// <c>If-None-Match: *</c> (the blob must not exist) when <paramref name="expected"/> is null.
    /// </summary>
    public static BlobRequestConditions Expecting(string? expected) =>
        expected is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = new ETag(expected) };

    /// <summary>
    /// Whether <paramref name="e"/> says a write built by <see cref="Expecting"/> lost its race: 412 ConditionNotMet
    /// (If-Match, and If-None-Match on some operations), 409 BlobAlreadyExists (If-None-Match: * on Put Blob), or
    /// 404 when If-Match names a blob that no longer exists.
    /// </summary>
    public static bool IsLostRace(RequestFailedException e, string? expected) =>
        e.Status == 412 || (e.Status == 409 && expected is null) || (e.Status == 404 && expected is not null);
}
