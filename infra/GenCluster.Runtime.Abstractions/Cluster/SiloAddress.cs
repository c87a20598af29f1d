using System.Globalization;

namespace GenCluster.Runtime;

/// <summary>
/// Where a silo process listens, plus its generation (start time ticks), so a restarted silo on the
/// same endpoint is a different silo and messages meant for its dead predecessor are refused.
/// </summary>
/// <param name="Host">IP address or host name (loopback in tests).</param>
/// <param name="Port">The silo-to-silo and gateway port.</param>
/// <param name="Generation">Distinguishes incarnations on the same endpoint.</param>
public readonly record struct SiloAddress(string Host, int Port, long Generation)
{
    /// <summary><c>host:port@generation</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}@{Generation}");

    /// <summary>Parses <c>host:port@generation</c>.</summary>
    /// <exception cref="FormatException">The text is not in that form.</exception>
    public static SiloAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.LastIndexOf('@');
        var colon = at > 0 ? text.LastIndexOf(':', at) : -1;
        if (colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1, at - colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || !long.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
        {
            throw new FormatException($"'{text}' is not a silo address of the form host:port@generation");
        }

        return new SiloAddress(text[..colon], port, generation);
    }
}
