using System.Buffers;
using GenCluster.MessagePack;
using static GenCluster.Transport.HandshakeEncoding;

namespace GenCluster.Transport;

/// <summary>
/// First handshake message, server to client: <c>{t: "challenge", cluster, version, nonce}</c>. The fresh server nonce
/// makes the client's proof valid for this connection only.
/// </summary>
internal sealed record ServerChallenge(string ClusterId, int ProtocolVersion, byte[] Nonce)
{
    public const string Type = "challenge";

    public static void Write(ref MessagePackWriter writer, ServerChallenge message)
    {
        writer.WriteMapHeader(4);
        writer.WriteString(TypeField);
        writer.WriteString(Type);
        writer.WriteString(ClusterField);
        writer.WriteString(message.ClusterId);
        writer.WriteString(VersionField);
        writer.Write(message.ProtocolVersion);
        writer.WriteString(NonceField);
        writer.WriteBinary(message.Nonce);
    }

    /// <exception cref="HandshakeFailedException">The payload is not a well-formed challenge.</exception>
    public static ServerChallenge Read(ReadOnlySequence<byte> payload)
    {
        try
        {
            var reader = new MessagePackReader(payload, Limits);
            string? type = null, cluster = null;
            int? version = null;
            byte[]? nonce = null;
            int count = reader.ReadMapHeader();
            for (int i = 0; i < count; i++)
            {
                switch (reader.ReadString())
                {
                    case TypeField: type = reader.ReadString(); break;
                    case ClusterField: cluster = reader.ReadString(); break;
                    case VersionField: version = reader.ReadInt32(); break;
                    case NonceField: nonce = ReadFixedBinary(ref reader, ClusterKey.NonceSize, NonceField); break;
                    default: reader.Skip(); break;
                }
            }

            RequireEnd(ref reader, type, Type);
            return new ServerChallenge(Require(cluster, ClusterField), Require(version, VersionField), Require(nonce, NonceField));
        }
        catch (MessagePackDecodeException e)
        {
            throw Malformed(e);
        }
    }
}
