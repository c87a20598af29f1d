using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace GenCluster.Transport;

/// <summary>
/// The cluster secret as an HMAC-SHA256 key, and the handshake proofs computed with it. Its <see cref="ToString"/>
/// never shows the key, so it cannot leak into a log by accident.
/// </summary>
/// <remarks>
/// A proof is <c>HMAC-SHA256(UTF-8(secret), transcript)</c> where the transcript is
/// <c>"gencluster-hs-v1" | direction (1 byte) | server nonce (32) | client nonce (32) | cluster id | version (u32) |
/// role (1 byte) | name | silo address | tenant</c>; strings are UTF-8 with a u32 big-endian length prefix, and an
/// absent optional string is the length 0xFFFFFFFF. Binding the nonces makes a recorded proof useless on another
/// connection; binding the whole identity means a peer cannot claim fields it did not sign.
/// </remarks>
internal sealed class ClusterKey
{
    /// <summary>Size of each side's random nonce.</summary>
    public const int NonceSize = 32;

    /// <summary>Size of a proof.</summary>
    public const int ProofSize = HMACSHA256.HashSizeInBytes;

    private const uint AbsentString = uint.MaxValue;

    private readonly byte[] _key;

    public ClusterKey(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = Encoding.UTF8.GetBytes(secret);
    }

    private static ReadOnlySpan<byte> Label => "gencluster-hs-v1"u8;

    /// <summary>A fresh random nonce.</summary>
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceSize);

    /// <summary>Computes the proof a side sends for this handshake.</summary>
    public byte[] ComputeProof(
        HandshakeDirection direction,
        ReadOnlySpan<byte> serverNonce,
        ReadOnlySpan<byte> clientNonce,
        string clusterId,
        int protocolVersion,
        PeerIdentity identity)
    {
        var transcript = new ArrayBufferWriter<byte>(256);
        transcript.Write(Label);
        transcript.Write([(byte)direction]);
        transcript.Write(serverNonce);
        transcript.Write(clientNonce);
        WriteString(transcript, clusterId);
        WriteUInt32(transcript, (uint)protocolVersion);
        transcript.Write([(byte)identity.Role]);
        WriteString(transcript, identity.Name);
        WriteString(transcript, identity.Silo?.ToString());
        WriteString(transcript, identity.Tenant);
        return HMACSHA256.HashData(_key, transcript.WrittenSpan);
    }

    /// <summary>Checks a received proof in constant time (no early exit that would reveal where it differs).</summary>
    public bool VerifyProof(
        ReadOnlySpan<byte> proof,
        HandshakeDirection direction,
        ReadOnlySpan<byte> serverNonce,
        ReadOnlySpan<byte> clientNonce,
        string clusterId,
        int protocolVersion,
        PeerIdentity identity)
    {
        var expected = ComputeProof(direction, serverNonce, clientNonce, clusterId, protocolVersion, identity);
        return proof.Length == ProofSize && CryptographicOperations.FixedTimeEquals(expected, proof);
    }

    /// <inheritdoc />
    public override string ToString() => "[cluster key redacted]";

    private static void WriteString(ArrayBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteUInt32(output, AbsentString);
            return;
        }

        WriteUInt32(output, (uint)Encoding.UTF8.GetByteCount(value));
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length));
        output.Advance(Encoding.UTF8.GetBytes(value, span));
    }

    private static void WriteUInt32(ArrayBufferWriter<byte> output, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(sizeof(uint)), value);
        output.Advance(sizeof(uint));
    }
}
