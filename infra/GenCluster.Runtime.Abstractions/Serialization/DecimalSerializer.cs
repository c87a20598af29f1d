using System.Globalization;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// A decimal as its invariant-culture string (e.g. <c>"-12.50"</c>): MessagePack has no decimal type, a float would
/// lose digits, and a string keeps value and scale and reads naturally in any peer.
/// </summary>
internal sealed class DecimalSerializer : IMessagePackSerializer<decimal>
{
    public void Serialize(ref MessagePackWriter writer, decimal value)
    {
        // 31 characters hold any decimal: 29 digits, a sign and a point.
        Span<char> text = stackalloc char[32];
        value.TryFormat(text, out int length, default, CultureInfo.InvariantCulture);
        writer.WriteString(text[..length]);
    }

    public decimal Deserialize(ref MessagePackReader reader)
    {
        long position = reader.Consumed;
        var utf8 = reader.ReadStringSpan();
        if (!decimal.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new MessagePackDecodeException(MessagePackDecodeError.UnexpectedType, "a decimal must be a number string such as \"-12.50\"", position);
        }

        return value;
    }
}
