using System.Buffers;

namespace GenCluster.Transport.Tests;

public sealed class HandshakeMessageTests
{
    [Fact]
    public void Messages_round_trip_through_their_encoding()
    {
        var identity = TestTransport.SiloIdentity("silo-b", 4242);
        var response = RawPeer.SignedResponse(new ServerChallenge("gencluster", 1, ClusterKey.NewNonce()), TestTransport.Secret, identity);

        var decoded = ClientResponse.Read(Payload(RawPeer.Frame(response, ClientResponse.Write)));
        var verdict = ServerVerdict.Read(Payload(RawPeer.Frame(ServerVerdict.Refuse(HandshakeFailureKind.VersionMismatch, "v2 only"), ServerVerdict.Write)));

        decoded.Identity.Should().Be(identity);
        decoded.Nonce.Should().Equal(response.Nonce);
        decoded.Proof.Should().Equal(response.Proof);
        verdict.Should().BeEquivalentTo(new { Accepted = false, Failure = HandshakeFailureKind.VersionMismatch, Reason = "v2 only" });
    }

    [Fact]
    public void A_proof_binds_every_claimed_field_and_the_direction()
    {
        var key = new ClusterKey(TestTransport.Secret);
        var server = ClusterKey.NewNonce();
        var client = ClusterKey.NewNonce();
        var identity = TestTransport.ClientIdentity("bob", "t1");
        var proof = key.ComputeProof(HandshakeDirection.ClientToServer, server, client, "gencluster", 1, identity);

        key.VerifyProof(proof, HandshakeDirection.ClientToServer, server, client, "gencluster", 1, identity).Should().BeTrue();
        key.VerifyProof(proof, HandshakeDirection.ServerToClient, server, client, "gencluster", 1, identity).Should().BeFalse();
        key.VerifyProof(proof, HandshakeDirection.ClientToServer, server, client, "gencluster", 1, identity with { Tenant = "t2" }).Should().BeFalse();
        key.VerifyProof(proof, HandshakeDirection.ClientToServer, server, client, "gencluster", 1, identity with { Role = ConnectionRole.Silo }).Should().BeFalse();
        key.VerifyProof(proof, HandshakeDirection.ClientToServer, client, server, "gencluster", 1, identity).Should().BeFalse();
        new ClusterKey("other").VerifyProof(proof, HandshakeDirection.ClientToServer, server, client, "gencluster", 1, identity).Should().BeFalse();
        key.ToString().Should().NotContain(TestTransport.Secret);
    }

    [Fact]
    public void Mutated_handshake_messages_fail_only_with_HandshakeFailedException()
    {
        var random = new Random(1234);
        var valid = RawPeer.Frame(
            RawPeer.SignedResponse(new ServerChallenge("gencluster", 1, ClusterKey.NewNonce()), TestTransport.Secret, TestTransport.SiloIdentity()),
            ClientResponse.Write)[4..];
        int rejected = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var mutated = Mutate(valid, random);
            try
            {
                ClientResponse.Read(new ReadOnlySequence<byte>(mutated));
                ServerVerdict.Read(new ReadOnlySequence<byte>(mutated));
            }
            catch (HandshakeFailedException e)
            {
                e.Kind.Should().Be(HandshakeFailureKind.Malformed);
                rejected++;
            }
        }

        rejected.Should().Be(20_000, "whatever the response decoder lets through, the verdict decoder must reject");
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = random.Next(4) switch
        {
            0 => valid[..random.Next(valid.Length)],
            1 => [.. valid, .. RandomBytes(random, random.Next(1, 16))],
            2 => RandomBytes(random, random.Next(1, 200)),
            _ => (byte[])valid.Clone(),
        };
        for (int flips = random.Next(1, 4); flips > 0 && bytes.Length > 0; flips--)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }

        return bytes;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static ReadOnlySequence<byte> Payload(byte[] frame) => new(frame.AsMemory(4));
}
