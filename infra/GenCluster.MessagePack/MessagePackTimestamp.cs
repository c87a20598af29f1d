using System.Globalization;

namespace GenCluster.MessagePack;

/// <summary>
/// The value of the MessagePack timestamp extension (type -1): signed seconds since the Unix epoch (UTC) and
/// a nanosecond adjustment in 0..999,999,999.
/// </summary>
public readonly struct MessagePackTimestamp : IEquatable<MessagePackTimestamp>
{
    /// <summary>Largest valid nanosecond field.</summary>
    public const uint MaxNanoseconds = 999_999_999;

    private const long TicksPerSecond = TimeSpan.TicksPerSecond;
    private const long NanosecondsPerTick = 100;
    private static readonly long MinDateTimeSeconds = (DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks) / TicksPerSecond;
    private static readonly long MaxDateTimeSeconds = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TicksPerSecond;

    /// <summary>Creates a timestamp.</summary>
    /// <param name="seconds">Seconds since 1970-01-01T00:00:00Z (may be negative).</param>
    /// <param name="nanoseconds">Nanoseconds to add, 0..999,999,999.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nanoseconds"/> exceeds 999,999,999.</exception>
    public MessagePackTimestamp(long seconds, uint nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nanoseconds, MaxNanoseconds);
        Seconds = seconds;
        Nanoseconds = nanoseconds;
    }

    /// <summary>Seconds since the Unix epoch (UTC).</summary>
    public long Seconds { get; }

    /// <summary>Nanoseconds added to <see cref="Seconds"/>, 0..999,999,999.</summary>
    public uint Nanoseconds { get; }

    /// <summary>Converts a <see cref="DateTime"/> (local times are converted to UTC; unspecified ones are taken as UTC).</summary>
    /// <param name="value">The instant to convert.</param>
    /// <returns>The same instant as a timestamp.</returns>
    public static MessagePackTimestamp FromDateTime(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        long ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
        long seconds = Math.DivRem(ticks, TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TicksPerSecond;
        }

        return new MessagePackTimestamp(seconds, (uint)(remainder * NanosecondsPerTick));
    }

    /// <summary>Converts to a UTC <see cref="DateTime"/>, truncating to 100 ns ticks, if representable.</summary>
    /// <param name="value">The converted value, or default.</param>
    /// <returns><see langword="true"/> when the instant lies within the <see cref="DateTime"/> range.</returns>
    public bool TryToDateTime(out DateTime value)
    {
        if (Seconds < MinDateTimeSeconds || Seconds > MaxDateTimeSeconds)
        {
            value = default;
            return false;
        }

        long ticks = DateTime.UnixEpoch.Ticks + (Seconds * TicksPerSecond) + (Nanoseconds / NanosecondsPerTick);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            value = default;
            return false;
        }

        value = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    /// <summary>Converts to a UTC <see cref="DateTime"/>, truncating to 100 ns ticks.</summary>
    /// <returns>The instant as a UTC <see cref="DateTime"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The instant lies outside the <see cref="DateTime"/> range.</exception>
    public DateTime ToDateTime() =>
        TryToDateTime(out var value) ? value : throw new ArgumentOutOfRangeException(nameof(Seconds), Seconds, "outside the DateTime range");

    /// <inheritdoc />
    public bool Equals(MessagePackTimestamp other) => Seconds == other.Seconds && Nanoseconds == other.Nanoseconds;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MessagePackTimestamp other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Seconds, Nanoseconds);

    /// <summary>Formats as <c>seconds.nanoseconds</c> (nine fraction digits).</summary>
    /// <returns>The formatted value.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Seconds}.{Nanoseconds:D9}");

    /// <summary>Compares two timestamps for equality.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    /// <returns>Whether both fields are equal.</returns>
    public static bool operator ==(MessagePackTimestamp left, MessagePackTimestamp right) => left.Equals(right);

    /// <summary>Compares two timestamps for inequality.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    /// <returns>Whether any field differs.</returns>
    public static bool operator !=(MessagePackTimestamp left, MessagePackTimestamp right) => !left.Equals(right);
}
