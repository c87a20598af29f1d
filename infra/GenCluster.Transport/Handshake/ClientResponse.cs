using System.Buffers;
using GenCluster.MessagePack;
using GenCluster.Runtime;
using static GenCluster.Transport.HandshakeEncoding;

namespace GenCluster.Transport;

/// <summary>
/// Second handshake message, client to server: <c>{t: "response", cluster, version, role, name, silo, tenant, nonce,
/// proof, shm?}</c>, where the proof is the client's HMAC over both nonces and everything it claims (see <see cref="ClusterField"/>),
/// and <c>shm</c>, when present, offers shared memory to a server on the same host (not covered by the proof: the
/// segment's own token is what proves a peer shares it).
/// </summary>
internal sealed record ClientResponse(string ClusterId, int ProtocolVersion, PeerIdentity Identity, byte[] Nonce, byte[] Proof, byte[]? SharedMemoryHost = null)
{
    public const string Type = "response";

    public static void Write(ref MessagePackWriter writer, ClientResponse message)
    {
        writer.WriteMapHeader(message.SharedMemoryHost is null ? 9 : 10);
        writer.WriteString(TypeField);
        writer.WriteString(Type);
        writer.WriteString(ClusterField);
        writer.WriteString(message.ClusterId);
        writer.WriteString(VersionField);
        writer.Write(message.ProtocolVersion);
        writer.WriteString(RoleField);
        WriteRole(ref writer, message.Identity.Role);
        writer.WriteString(NameField);
        writer.WriteString(message.Identity.Name);
        writer.WriteString(SiloField);
        WriteOptionalString(ref writer, message.Identity.Silo?.ToString());
        writer.WriteString(TenantField);
        WriteOptionalString(ref writer, message.Identity.Tenant);
        writer.WriteString(NonceField);
        writer.WriteBinary(message.Nonce);
        writer.WriteString(ProofField);
        writer.WriteBinary(message.Proof);
        if (message.SharedMemoryHost is { } host)
        {
            writer.WriteString(SharedMemoryField);
            writer.WriteBinary(host);
        }
    }

    /// <exception cref="HandshakeFailedException">The payload is not a well-formed response.</exception>
    public static ClientResponse Read(ReadOnlySequence<byte> payload)
    {
        try
        {
            var reader = new MessagePackReader(payload, Limits);
            string? type = null, cluster = null, name = null, tenant = null;
            int? version = null;
            ConnectionRole? role = null;
            SiloAddress? silo = null;
            byte[]? nonce = null, proof = null, sharedMemory = null;
            int count = reader.ReadMapHeader();
            for (int i = 0; i < count; i++)
            {
                switch (reader.ReadString())
                {
                    case TypeField: type = reader.ReadString(); break;
                    case ClusterField: cluster = reader.ReadString(); break;
                    case VersionField: version = reader.ReadInt32(); break;
                    case RoleField: role = ReadRole(ref reader); break;
                    case NameField: name = reader.ReadString(); break;
                    case SiloField: silo = ReadOptionalSilo(ref reader); break;
                    case TenantField: tenant = ReadOptionalString(ref reader); break;
                    case NonceField: nonce = ReadFixedBinary(ref reader, ClusterKey.NonceSize, NonceField); break;
                    case ProofField: proof = ReadFixedBinary(ref reader, ClusterKey.ProofSize, ProofField); break;
                    case SharedMemoryField: sharedMemory = ReadFixedBinary(ref reader, SharedMemoryKeySize, SharedMemoryField); break;
                    default: reader.Skip(); break;
                }
            }

            RequireEnd(ref reader, type, Type);
            return new ClientResponse(
                Require(cluster, ClusterField),
                Require(version, VersionField),
                RequireIdentity(role, name, silo, tenant),
                Require(nonce, NonceField),
                Require(proof, ProofField),
                sharedMemory);
        }
        catch (MessagePackDecodeException e)
        {
            throw Malformed(e);
        }
    }
}
