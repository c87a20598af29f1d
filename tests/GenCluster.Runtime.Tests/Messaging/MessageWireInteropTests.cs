using GenCluster.Runtime.Messaging;
using GenCluster.Testing;

namespace GenCluster.Runtime.Tests.Messaging;

/// <summary>
/// The envelope is plain MessagePack (DESIGN §5): an independent decoder — Debian's python3-msgpack — reads our
/// messages, and messages it writes in the documented layout decode here.
/// </summary>
public sealed class MessageWireInteropTests
{
    // Decodes the hex message in argv[1] and prints its fields, one per line.
    private const string Decode = """
        import msgpack, sys
        m = msgpack.unpackb(bytes.fromhex(sys.argv[1]), raw=False)
        print(len(m))
        for field in m[:13]:
            print(repr(field))
        print(m[13].hex())
        """;

    // Encodes a request in the documented layout and prints it as hex.
    private const string Encode = """
        import msgpack
        print(msgpack.packb([1, 1, 9, ["counter", "k/1"], 7, 8, None, "py-client", None, 1500, 0, None, {"tenant": "t"}, b"\x91\x05"], use_bin_type=True).hex())
        """;

    [Fact]
    public void Python_msgpack_reads_every_field_of_our_envelope()
    {
        var message = new Message
        {
            Id = 42,
            Kind = MessageKind.Request,
            Target = new GrainId("counter", "a/b"),
            InterfaceId = 0xCAFEBABE,
            MethodId = 3,
            SendingSilo = new SiloAddress("127.0.0.1", 30001, 5),
            TimeToLive = TimeSpan.FromSeconds(2),
            Headers = new Dictionary<string, string> { ["traceparent"] = "00-x-y-01" },
            Body = new byte[] { 0x91, 0x07 },
        };

        string output = PythonPeer.Run("-c", [Decode, Convert.ToHexString(MessageCodec.Encode(message))], TimeSpan.FromSeconds(30));

        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "14",
            "1",
            "1",
            "42",
            "['counter', 'a/b']",
            "3405691582",
            "3",
            "'127.0.0.1:30001@5'",
            "None",
            "None",
            "2000",
            "0",
            "None",
            "{'traceparent': '00-x-y-01'}",
            "9107");
    }

    [Fact]
    public void A_request_written_by_python_msgpack_decodes_here()
    {
        string hex = PythonPeer.Run("-c", [Encode], TimeSpan.FromSeconds(30)).Trim();

        var message = MessageCodec.Read(Convert.FromHexString(hex));

        message.Kind.Should().Be(MessageKind.Request);
        message.Id.Should().Be(9);
        message.Target.Should().Be(new GrainId("counter", "k/1"));
        message.SendingClient.Should().Be("py-client");
        message.TimeToLive.Should().Be(TimeSpan.FromMilliseconds(1500));
        message.Headers.Should().Contain("tenant", "t");
        message.Body.ToArray().Should().Equal(0x91, 0x05);
    }
}
