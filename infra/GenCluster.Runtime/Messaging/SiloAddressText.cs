using System.Text;

namespace GenCluster.Runtime.Messaging;

/// <summary>
/// The UTF-8 text (<c>host:port@generation</c>) of silo addresses in envelopes. Every request names its sending and
/// target silo, and a cluster has few silos, so a small cache spares formatting and parsing them for each message.
/// </summary>
/// <remarks>
/// Each cache is a fixed array of immutable entries indexed by hash: reads and replacements are single reference
/// reads and writes, so no lock is needed, and a peer that sends many distinct addresses only evicts entries — the
/// memory stays bounded.
/// </remarks>
internal static class SiloAddressText
{
    private const int Slots = 64;

    private static readonly Entry?[] ByAddress = new Entry?[Slots];
    private static readonly Entry?[] ByText = new Entry?[Slots];

    /// <summary>The UTF-8 text of <paramref name="address"/>.</summary>
    public static ReadOnlySpan<byte> Utf8(SiloAddress address)
    {
        ref var slot = ref ByAddress[SlotOf(address)];
        var entry = Volatile.Read(ref slot);
        if (entry is null || !entry.Address.Equals(address))
        {
            entry = new Entry(address, Encoding.UTF8.GetBytes(address.ToString()));
            Volatile.Write(ref slot, entry);
        }

        return entry.Utf8;
    }

    /// <summary>Parses UTF-8 <c>host:port@generation</c>.</summary>
    /// <exception cref="FormatException">The text is not a silo address.</exception>
    public static SiloAddress Parse(ReadOnlySpan<byte> utf8)
    {
        ref var slot = ref ByText[SlotOf(utf8)];
        var entry = Volatile.Read(ref slot);
        if (entry is not null && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Address;
        }

        var address = SiloAddress.Parse(Encoding.UTF8.GetString(utf8));
        Volatile.Write(ref slot, new Entry(address, utf8.ToArray()));
        return address;
    }

    private static int SlotOf(SiloAddress address) => HashCode.Combine(address.Port, address.Generation) & (Slots - 1);

    // FNV-1a: addresses are a few dozen bytes, so a simple byte loop beats a seeded string hash here.
    private static int SlotOf(ReadOnlySpan<byte> utf8)
    {
        uint hash = 2166136261;
        foreach (byte b in utf8)
        {
            hash = (hash ^ b) * 16777619;
        }

        return (int)(hash & (Slots - 1));
    }

    private sealed record Entry(SiloAddress Address, byte[] Utf8);
}
