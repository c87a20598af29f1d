using System.Buffers;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.Messaging;

/// <summary>
/// Encodes a <see cref="Message"/> as one MessagePack array (the payload of one frame) and decodes it back from
/// untrusted bytes. Fields are positional; a decoder ignores fields appended by newer senders.
/// </summary>
/// <remarks>
/// Layout: <c>[version, kind, id, target [type, key] | nil, interfaceId, methodId, sendingSilo | nil,
/// sendingClient | nil, targetSilo | nil, timeToLiveMs | nil, rejection, redirect | nil, headers map | nil, body bin | nil]</c>.
/// Silo addresses travel as <c>host:port@generation</c>.
/// </remarks>
internal static class MessageCodec
{
    /// <summary>The envelope layout version written by this runtime.</summary>
    public const int FormatVersion = 1;

    /// <summary>Most request-context headers one message may carry.</summary>
    public const int MaxHeaders = 64;

    private const int FieldCount = 14;

    private static readonly long MaxTimeToLiveMilliseconds = (long)TimeSpan.MaxValue.TotalMilliseconds;

    /// <summary>Limits for envelopes: shallow, but bodies may be as large as a frame.</summary>
    public static MessagePackReaderOptions ReaderOptions { get; } = new() { MaxDepth = 8, MaxCollectionLength = 1024 };

    /// <summary>Writes <paramref name="message"/> as one MessagePack value.</summary>
    public static void Write(ref MessagePackWriter writer, Message message)
    {
        writer.WriteArrayHeader(FieldCount);
        writer.Write(FormatVersion);
        writer.Write((int)message.Kind);
        writer.Write(message.Id);
        if (message.Target.Type is null)
        {
            writer.WriteNil();
        }
        else
        {
            writer.WriteArrayHeader(2);
            writer.WriteString(message.Target.Type);
            writer.WriteString(message.Target.Key);
        }

        writer.Write(message.InterfaceId);
        writer.Write(message.MethodId);
        WriteSilo(ref writer, message.SendingSilo);
        writer.WriteString(message.SendingClient);
        WriteSilo(ref writer, message.TargetSilo);
        if (message.TimeToLive is { } ttl)
        {
            writer.Write(Math.Max(0L, (long)Math.Ceiling(ttl.TotalMilliseconds)));
        }
        else
        {
            writer.WriteNil();
        }

        writer.Write((int)message.Rejection);
        WriteSilo(ref writer, message.Redirect);
        if (message.Headers is { Count: > 0 } headers)
        {
            writer.WriteMapHeader(headers.Count);
            foreach (var (key, value) in headers)
            {
                writer.WriteString(key);
                writer.WriteString(value);
            }
        }
        else
        {
            writer.WriteNil();
        }

        if (message.Body.IsEmpty)
        {
            writer.WriteNil();
        }
        else
        {
            // A tensor argument's array (a SegmentedMemory block) goes to the frame by reference, not copied.
            writer.WriteBinaryByReference(message.Body);
        }
    }

    /// <summary>
    /// Roughly how many bytes <paramref name="message"/> encodes to: the body plus room for the envelope, so that a
    /// frame writer can reserve it up front and encode even a large body in place.
    /// </summary>
    /// <remarks>Blocks of the body that are sent by reference take no room in the frame buffer and are not counted.</remarks>
    public static int EstimateSize(Message message)
    {
        if (message.Body.Length < MessagePackWriter.MinimumReferenceSize)
        {
            return message.Body.Length + 512;
        }

        long body = 0;
        foreach (var segment in SegmentedMemory.AsSequence(message.Body))
        {
            if (segment.Length < MessagePackWriter.MinimumReferenceSize)
            {
                body += segment.Length;
            }
        }

        return (int)Math.Min(int.MaxValue, body + 512L);
    }

    /// <summary>Encodes <paramref name="message"/> into a new array.</summary>
    public static byte[] Encode(Message message)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + message.Body.Length);
        var writer = new MessagePackWriter(buffer);
        Write(ref writer, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Decodes one message. The body is copied, so the result outlives <paramref name="payload"/> — unless the payload is
    /// <see cref="OwnedBytes"/> (a large frame the transport assembled into its own array), whose body is kept in place.
    /// </summary>
    /// <exception cref="InvalidMessageException">The bytes are not a well-formed message.</exception>
    public static Message Read(in ReadOnlySequence<byte> payload)
    {
        try
        {
            var reader = new MessagePackReader(payload, ReaderOptions);
            var message = ReadCore(ref reader);
            if (!reader.End)
            {
                throw new InvalidMessageException($"{reader.Remaining} bytes follow the message");
            }

            return message;
        }
        catch (MessagePackDecodeException e)
        {
            throw new InvalidMessageException($"malformed message: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new InvalidMessageException($"malformed message: {e.Message}", e);
        }
    }

    /// <inheritdoc cref="Read(in ReadOnlySequence{byte})"/>
    public static Message Read(ReadOnlyMemory<byte> payload) => Read(new ReadOnlySequence<byte>(payload));

    private static Message ReadCore(ref MessagePackReader reader)
    {
        int fields = reader.ReadArrayHeader();
        if (fields < FieldCount)
        {
            throw new InvalidMessageException($"a message has {FieldCount} fields, this one {fields}");
        }

        int version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidMessageException($"unsupported message format version {version} (this runtime speaks {FormatVersion})");
        }

        int kind = reader.ReadInt32();
        if (!Enum.IsDefined((MessageKind)kind))
        {
            throw new InvalidMessageException($"unknown message kind {kind}");
        }

        long id = reader.ReadInt64();
        GrainId target = default;
        if (!reader.TryReadNil())
        {
            if (reader.ReadArrayHeader() != 2)
            {
                throw new InvalidMessageException("a grain id is a [type, key] pair");
            }

            target = new GrainId(reader.ReadString(), reader.ReadString());
        }

        uint interfaceId = reader.ReadUInt32();
        uint methodId = reader.ReadUInt32();
        var sendingSilo = ReadSilo(ref reader);
        string? sendingClient = reader.TryReadNil() ? null : reader.ReadString();
        var targetSilo = ReadSilo(ref reader);
        TimeSpan? timeToLive = reader.TryReadNil() ? null : ReadTimeToLive(ref reader);
        int rejection = reader.ReadInt32();
        if (!Enum.IsDefined((RejectionReason)rejection))
        {
            throw new InvalidMessageException($"unknown rejection reason {rejection}");
        }

        var redirect = ReadSilo(ref reader);
        var headers = ReadHeaders(ref reader);
        var body = reader.TryReadNil() ? ReadOnlyMemory<byte>.Empty : KeepBody(reader.ReadBytes());
        for (int extra = fields - FieldCount; extra > 0; extra--)
        {
            reader.Skip();
        }

        return new Message
        {
            Id = id,
            Kind = (MessageKind)kind,
            Target = target,
            InterfaceId = interfaceId,
            MethodId = methodId,
            SendingSilo = sendingSilo,
            SendingClient = sendingClient,
            TargetSilo = targetSilo,
            TimeToLive = timeToLive,
            Rejection = (RejectionReason)rejection,
            Redirect = redirect,
            Headers = headers,
            Body = body,
        };
    }

    // The body outlives the frame's buffer (unless the frame's array was handed over). Every byte is overwritten, so the array need not be zeroed first — which
    // matters for tensors of many megabytes.
    private static ReadOnlyMemory<byte> KeepBody(in ReadOnlySequence<byte> bytes)
    {
        if (OwnedBytes.TryGetOwned(bytes, out var owned))
        {
            return owned;
        }

        var body = GC.AllocateUninitializedArray<byte>(checked((int)bytes.Length));
        bytes.CopyTo(body);
        return body;
    }

    private static Dictionary<string, string>? ReadHeaders(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int count = reader.ReadMapHeader();
        if (count > MaxHeaders)
        {
            throw new InvalidMessageException($"a message carries at most {MaxHeaders} headers, this one {count}");
        }

        var headers = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string key = reader.ReadString();
            headers[key] = reader.ReadString();
        }

        return headers;
    }

    private static void WriteSilo(ref MessagePackWriter writer, SiloAddress? silo)
    {
        if (silo is { } address)
        {
            var utf8 = SiloAddressText.Utf8(address);
            writer.WriteStringHeader(utf8.Length);
            writer.WriteRaw(utf8);
        }
        else
        {
            writer.WriteNil();
        }
    }

    private static SiloAddress? ReadSilo(ref MessagePackReader reader) =>
        reader.TryReadNil() ? null : SiloAddressText.Parse(reader.ReadStringSpan());

    // A time-to-live is a whole number of milliseconds no larger than TimeSpan allows; a hostile
    // value must be a message error, not an overflow deep in TimeSpan.
    private static TimeSpan ReadTimeToLive(ref MessagePackReader reader)
    {
        var milliseconds = reader.ReadInt64();
        if (milliseconds > MaxTimeToLiveMilliseconds)
        {
            throw new InvalidMessageException($"time-to-live {milliseconds} ms exceeds {MaxTimeToLiveMilliseconds} ms");
        }

        // An already expired deadline travels as a negative remainder: it means "no time left".
        return TimeSpan.FromMilliseconds(Math.Max(0L, milliseconds));
    }
}
