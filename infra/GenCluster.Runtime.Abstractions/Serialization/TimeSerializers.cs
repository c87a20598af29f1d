using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// A DateTime as the MessagePack timestamp extension (type -1). Local times are converted to UTC and unspecified ones
/// are taken as UTC; values read back are UTC. The instant survives to the 100 ns tick, the Kind does not.
/// </summary>
internal sealed class DateTimeSerializer : IMessagePackSerializer<DateTime>
{
    public void Serialize(ref MessagePackWriter writer, DateTime value) => writer.WriteTimestamp(value);

    public DateTime Deserialize(ref MessagePackReader reader) => reader.ReadDateTime();
}

/// <summary>A DateTimeOffset as <c>[timestamp of the UTC instant, offset in minutes]</c>: the instant and the offset both survive.</summary>
internal sealed class DateTimeOffsetSerializer : IMessagePackSerializer<DateTimeOffset>
{
    private const int MaxOffsetMinutes = 14 * 60;

    public void Serialize(ref MessagePackWriter writer, DateTimeOffset value)
    {
        writer.WriteArrayHeader(2);
        writer.WriteTimestamp(value.UtcDateTime);
        writer.Write((short)value.TotalOffsetMinutes);
    }

    public DateTimeOffset Deserialize(ref MessagePackReader reader)
    {
        long position = reader.Consumed;
        ReaderChecks.ReadArrayHeader(ref reader, 2, "a DateTimeOffset");
        var utc = reader.ReadDateTime();
        int minutes = reader.ReadInt16();
        if (Math.Abs(minutes) > MaxOffsetMinutes)
        {
            throw ReaderChecks.Invalid(position, $"offset of {minutes} minutes is beyond ±14 hours");
        }

        long localTicks = utc.Ticks + (minutes * TimeSpan.TicksPerMinute);
        if (localTicks < DateTime.MinValue.Ticks || localTicks > DateTime.MaxValue.Ticks)
        {
            throw new MessagePackDecodeException(MessagePackDecodeError.InvalidTimestamp, "the local time is outside the DateTime range", position);
        }

        return new DateTimeOffset(localTicks, TimeSpan.FromMinutes(minutes));
    }
}

/// <summary>A TimeSpan as its int64 tick count (100 ns units), exact over its whole range.</summary>
internal sealed class TimeSpanSerializer : IMessagePackSerializer<TimeSpan>
{
    public void Serialize(ref MessagePackWriter writer, TimeSpan value) => writer.Write(value.Ticks);

    public TimeSpan Deserialize(ref MessagePackReader reader) => new(reader.ReadInt64());
}
