using System.Text;

namespace GenCluster.Runtime.Cluster;

/// <summary>
/// A 64-bit hash that every process computes identically (unlike <see cref="string.GetHashCode()"/>, which is
/// randomized per process), so silos agree on directory owners and hash-based placement without talking.
/// FNV-1a over UTF-8, then the MurmurHash3 finalizer for avalanche.
/// </summary>
internal static class StableHash
{
    private const ulong FnvOffsetBasis = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>The hash of <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static ulong Compute(string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> bytes = max <= 512 ? stackalloc byte[max] : new byte[max];
        int length = Encoding.UTF8.GetBytes(text, bytes);
        ulong hash = FnvOffsetBasis;
        foreach (byte b in bytes[..length])
        {
            hash = (hash ^ b) * FnvPrime;
        }

        return Mix(hash);
    }

    /// <summary>A hash of the pair (<paramref name="first"/>, <paramref name="second"/>), e.g. a grain and a silo for rendezvous hashing.</summary>
    public static ulong Combine(ulong first, ulong second) => Mix(first ^ (second * 0x9E3779B97F4A7C15UL));

    private static ulong Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xFF51AFD7ED558CCDUL;
        value ^= value >> 33;
        value *= 0xC4CEB9FE1A85EC53UL;
        value ^= value >> 33;
        return value;
    }
}
