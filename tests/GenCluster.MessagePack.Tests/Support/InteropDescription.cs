using System.Globalization;
using System.Text;

namespace GenCluster.MessagePack.Tests.Support;

/// <summary>
/// The canonical one-line description both sides of the Python interop tests produce for a decoded value
/// (mirrors <c>describe()</c> in python/msgpack_peer.py):
/// nil, true, false, i&lt;decimal&gt;, d&lt;16 hex digits of the float64 bits&gt; (float 32 is widened; any NaN is "dnan"),
/// s:&lt;hex of UTF-8&gt;, b:&lt;hex&gt;, x&lt;type&gt;:&lt;hex&gt;, t&lt;seconds&gt;.&lt;nanoseconds&gt;, [a,b], {k=v,k=v}.
/// </summary>
internal static class InteropDescription
{
    public static string Describe(MessagePackValue value)
    {
        var builder = new StringBuilder();
        Append(builder, value);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, MessagePackValue value)
    {
        var culture = CultureInfo.InvariantCulture;
        switch (value.Kind)
        {
            case MessagePackValueKind.Nil:
                builder.Append("nil");
                break;
            case MessagePackValueKind.Boolean:
                builder.Append(value.Boolean ? "true" : "false");
                break;
            case MessagePackValueKind.Integer:
                builder.Append('i').Append(value.Integer.ToString(culture));
                break;
            case MessagePackValueKind.Float32:
                AppendDouble(builder, value.Float32);
                break;
            case MessagePackValueKind.Float64:
                AppendDouble(builder, value.Float64);
                break;
            case MessagePackValueKind.String:
                builder.Append("s:").Append(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(value.String)));
                break;
            case MessagePackValueKind.Binary:
                builder.Append("b:").Append(Convert.ToHexStringLower(value.Binary.Span));
                break;
            case MessagePackValueKind.Extension:
                builder.Append('x').Append(value.ExtensionType.ToString(culture)).Append(':')
                    .Append(Convert.ToHexStringLower(value.ExtensionData.Span));
                break;
            case MessagePackValueKind.Timestamp:
                builder.Append('t').Append(value.Timestamp.Seconds.ToString(culture)).Append('.')
                    .Append(value.Timestamp.Nanoseconds.ToString(culture));
                break;
            case MessagePackValueKind.Array:
                builder.Append('[');
                for (int i = 0; i < value.Array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    Append(builder, value.Array[i]);
                }

                builder.Append(']');
                break;
            case MessagePackValueKind.Map:
                builder.Append('{');
                for (int i = 0; i < value.Map.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    Append(builder, value.Map[i].Key);
                    builder.Append('=');
                    Append(builder, value.Map[i].Value);
                }

                builder.Append('}');
                break;
            default:
                throw new InvalidOperationException(value.Kind.ToString());
        }
    }

    private static void AppendDouble(StringBuilder builder, double value)
    {
        if (double.IsNaN(value))
        {
            builder.Append("dnan");
            return;
        }

        builder.Append('d').Append(BitConverter.DoubleToInt64Bits(value).ToString("x16", CultureInfo.InvariantCulture));
    }

    /// <summary>Whether the value contains a float 32 anywhere (Python decodes it to a float and re-encodes float 64).</summary>
    public static bool ContainsFloat32(MessagePackValue value) => value.Kind switch
    {
        MessagePackValueKind.Float32 => true,
        MessagePackValueKind.Array => value.Array.Any(ContainsFloat32),
        MessagePackValueKind.Map => value.Map.Any(e => ContainsFloat32(e.Key) || ContainsFloat32(e.Value)),
        _ => false,
    };
}
