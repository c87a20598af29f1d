using System.Buffers;
using GenCluster.MessagePack;
using GenCluster.Runtime;
using static GenCluster.Transport.HandshakeEncoding;

namespace GenCluster.Transport;

/// <summary>
/// Last handshake message, server to client. Accepted: <c>{t: "verdict", accepted: true, role, name, silo, proof, shm?}</c>
/// with the server's own HMAC, so the client authenticates the server too, and <c>shm</c> when the server agrees to share
/// memory (the client offered it and both are on one host). Refused:
/// <c>{t: "verdict", accepted: false, failure, reason}</c>, after which the server closes the connection.
/// </summary>
internal sealed record ServerVerdict(bool Accepted, HandshakeFailureKind? Failure, string? Reason, PeerIdentity? Identity, byte[]? Proof, byte[]? SharedMemoryHost = null)
{
    public const string Type = "verdict";

    /// <summary>Longest refusal reason sent, in characters.</summary>
    private const int MaxReasonLength = 512;

    public static ServerVerdict Accept(PeerIdentity server, byte[] proof, byte[]? sharedMemoryHost = null) => new(true, null, null, server, proof, sharedMemoryHost);

    public static ServerVerdict Refuse(HandshakeFailureKind failure, string reason) =>
        new(false, failure, reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength], null, null);

    public static void Write(ref MessagePackWriter writer, ServerVerdict message)
    {
        if (message.Accepted)
        {
            var identity = message.Identity ?? throw new InvalidOperationException("an accepting verdict carries the server's identity");
            writer.WriteMapHeader(message.SharedMemoryHost is null ? 6 : 7);
            writer.WriteString(TypeField);
            writer.WriteString(Type);
            writer.WriteString(AcceptedField);
            writer.Write(true);
            writer.WriteString(RoleField);
            WriteRole(ref writer, identity.Role);
            writer.WriteString(NameField);
            writer.WriteString(identity.Name);
            writer.WriteString(SiloField);
            WriteOptionalString(ref writer, identity.Silo?.ToString());
            writer.WriteString(ProofField);
            writer.WriteBinary(message.Proof ?? throw new InvalidOperationException("an accepting verdict carries the server's proof"));
            if (message.SharedMemoryHost is { } host)
            {
                writer.WriteString(SharedMemoryField);
                writer.WriteBinary(host);
            }

            return;
        }

        writer.WriteMapHeader(4);
        writer.WriteString(TypeField);
        writer.WriteString(Type);
        writer.WriteString(AcceptedField);
        writer.Write(false);
        writer.WriteString(FailureField);
        writer.WriteString((message.Failure ?? HandshakeFailureKind.Refused).ToString());
        writer.WriteString(ReasonField);
        writer.WriteString(message.Reason ?? "refused");
    }

    /// <exception cref="HandshakeFailedException">The payload is not a well-formed verdict.</exception>
    public static ServerVerdict Read(ReadOnlySequence<byte> payload)
    {
        try
        {
            var reader = new MessagePackReader(payload, Limits);
            string? type = null, name = null, reason = null;
            bool? accepted = null;
            HandshakeFailureKind? failure = null;
            ConnectionRole? role = null;
            SiloAddress? silo = null;
            byte[]? proof = null, sharedMemory = null;
            int count = reader.ReadMapHeader();
            for (int i = 0; i < count; i++)
            {
                switch (reader.ReadString())
                {
                    case TypeField: type = reader.ReadString(); break;
                    case AcceptedField: accepted = reader.ReadBoolean(); break;
                    case FailureField: failure = ReadFailure(ref reader); break;
                    case ReasonField: reason = ReadOptionalString(ref reader); break;
                    case RoleField: role = ReadRole(ref reader); break;
                    case NameField: name = reader.ReadString(); break;
                    case SiloField: silo = ReadOptionalSilo(ref reader); break;
                    case ProofField: proof = ReadFixedBinary(ref reader, ClusterKey.ProofSize, ProofField); break;
                    case SharedMemoryField: sharedMemory = ReadFixedBinary(ref reader, SharedMemoryKeySize, SharedMemoryField); break;
                    default: reader.Skip(); break;
                }
            }

            RequireEnd(ref reader, type, Type);
            if (Require(accepted, AcceptedField))
            {
                return new ServerVerdict(true, null, null, RequireIdentity(role, name, silo, tenant: null), Require(proof, ProofField), sharedMemory);
            }

            return new ServerVerdict(false, failure ?? HandshakeFailureKind.Refused, reason ?? "no reason given", null, null);
        }
        catch (MessagePackDecodeException e)
        {
            throw Malformed(e);
        }
    }

    // A failure kind this version does not know (a newer server) is still a refusal.
    private static HandshakeFailureKind ReadFailure(ref MessagePackReader reader) =>
        Enum.TryParse<HandshakeFailureKind>(reader.ReadString(), ignoreCase: false, out var kind) && Enum.IsDefined(kind)
            ? kind
            : HandshakeFailureKind.Refused;
}
