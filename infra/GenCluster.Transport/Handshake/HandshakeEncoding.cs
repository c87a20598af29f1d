using System.Buffers;
using GenCluster.MessagePack;
using GenCluster.Runtime;

namespace GenCluster.Transport;

/// <summary>
/// The MessagePack shape shared by the three handshake messages: each is a map with string keys, tagged by
/// <c>"t"</c>; unknown keys are skipped so later versions can add fields. Limits are tight because the bytes come
/// from peers not yet authenticated.
/// </summary>
internal static class HandshakeEncoding
{
    /// <summary>Largest handshake frame accepted; anything longer is refused before it is buffered.</summary>
    public const int MaxFrameSize = 4096;

    public const string TypeField = "t";
    public const string ClusterField = "cluster";
    public const string VersionField = "version";
    public const string NonceField = "nonce";
    public const string ProofField = "proof";
    public const string RoleField = "role";
    public const string NameField = "name";
    public const string SiloField = "silo";
    public const string TenantField = "tenant";
    public const string AcceptedField = "accepted";
    public const string FailureField = "failure";
    public const string ReasonField = "reason";

    /// <summary>Optional: the sender's shared-memory host key (<see cref="SharedMemoryHost"/>), 16 bytes.</summary>
    public const string SharedMemoryField = "shm";

    /// <summary>Size of a shared-memory host key.</summary>
    public const int SharedMemoryKeySize = 16;

    private const string SiloRole = "silo";
    private const string ClientRole = "client";

    /// <summary>Limits for decoding handshake payloads.</summary>
    public static MessagePackReaderOptions Limits { get; } = new()
    {
        MaxDepth = 2,
        MaxStringLength = 1024,
        MaxBinaryLength = 64,
        MaxCollectionLength = 32,
        MaxTotalBytes = MaxFrameSize,
    };

    public static void WriteRole(ref MessagePackWriter writer, ConnectionRole role) =>
        writer.WriteString(role == ConnectionRole.Silo ? SiloRole : ClientRole);

    public static ConnectionRole ReadRole(ref MessagePackReader reader) => reader.ReadString() switch
    {
        SiloRole => ConnectionRole.Silo,
        ClientRole => ConnectionRole.Client,
        var other => throw Malformed($"unknown role '{Truncate(other)}'"),
    };

    public static void WriteOptionalString(ref MessagePackWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNil();
        }
        else
        {
            writer.WriteString(value);
        }
    }

    public static string? ReadOptionalString(ref MessagePackReader reader) => reader.TryReadNil() ? null : reader.ReadString();

    public static SiloAddress? ReadOptionalSilo(ref MessagePackReader reader)
    {
        var text = ReadOptionalString(ref reader);
        if (text is null)
        {
            return null;
        }

        try
        {
            return SiloAddress.Parse(text);
        }
        catch (FormatException)
        {
            throw Malformed($"'{Truncate(text)}' is not a silo address");
        }
    }

    /// <summary>Reads a binary field that must have exactly <paramref name="size"/> bytes (a nonce or a proof).</summary>
    public static byte[] ReadFixedBinary(ref MessagePackReader reader, int size, string field)
    {
        var bytes = reader.ReadBytes();
        if (bytes.Length != size)
        {
            throw Malformed($"'{field}' must have {size} bytes, not {bytes.Length}");
        }

        return bytes.ToArray();
    }

    /// <summary>Builds the identity a peer claims, checking it like <see cref="PeerIdentity.Validate"/>.</summary>
    public static PeerIdentity RequireIdentity(ConnectionRole? role, string? name, SiloAddress? silo, string? tenant)
    {
        var identity = new PeerIdentity(Require(role, RoleField), Require(name, NameField), silo, tenant);
        try
        {
            identity.Validate(NameField);
        }
        catch (ArgumentException e)
        {
            throw Malformed(e.Message);
        }

        return identity;
    }

    public static T Require<T>(T? value, string field)
        where T : class =>
        value ?? throw Malformed($"the field '{field}' is missing");

    public static T Require<T>(T? value, string field)
        where T : struct =>
        value ?? throw Malformed($"the field '{field}' is missing");

    /// <summary>Checks the <c>"t"</c> tag and that nothing follows the map.</summary>
    public static void RequireEnd(ref MessagePackReader reader, string? type, string expectedType)
    {
        if (!reader.End)
        {
            throw Malformed($"{reader.Remaining} bytes follow the handshake message");
        }

        if (type != expectedType)
        {
            throw Malformed($"expected a '{expectedType}' message, got '{Truncate(type)}'");
        }
    }

    /// <summary>Reads the <c>"t"</c> tag of a handshake message without decoding the rest.</summary>
    public static string? PeekType(in ReadOnlySequence<byte> payload)
    {
        try
        {
            var reader = new MessagePackReader(payload, Limits);
            int count = reader.ReadMapHeader();
            for (int i = 0; i < count; i++)
            {
                if (reader.ReadString() == TypeField)
                {
                    return reader.ReadString();
                }

                reader.Skip();
            }

            return null;
        }
        catch (MessagePackDecodeException e)
        {
            throw Malformed(e);
        }
    }

    public static HandshakeFailedException Malformed(string reason) =>
        new(HandshakeFailureKind.Malformed, $"malformed handshake message: {reason}");

    public static HandshakeFailedException Malformed(MessagePackDecodeException error) =>
        new(HandshakeFailureKind.Malformed, $"malformed handshake message: {error.Error}: {error.Reason}", innerException: error);

    /// <summary>Shortens peer-supplied text before it goes into a reason or a log line.</summary>
    public static string Truncate(string? text) => text is null ? "(none)" : text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
