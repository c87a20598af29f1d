using System.Security.Cryptography;

namespace GenCluster.Storage.Integrity;

/// <summary>SHA-256 digests as the lower-case hex text <see cref="ObjectProperties.Sha256"/> holds.</summary>
internal static class Sha256Hex
{
    /// <summary>The digest's lower-case hex text.</summary>
    public static string Format(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest);

    /// <summary>Parses 64 hex digits; false for anything else.</summary>
    public static bool TryParse(string? text, out byte[] digest)
    {
        digest = [];
        if (text is null || text.Length != SHA256.HashSizeInBytes * 2)
        {
            return false;
        }

        try
        {
            digest = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
