using System.Buffers;
using GenCluster.MessagePack;
using GenCluster.Runtime.Messaging;

namespace GenCluster.Runtime.Tests.Messaging;

public sealed class MessageCodecTests
{
    private static readonly Message Full = new()
    {
        Id = 1234567890123,
        Kind = MessageKind.Request,
        Target = new GrainId("parametershard", "exp42/G/3"),
        InterfaceId = 0xDEADBEEF,
        MethodId = 0x01020304,
        SendingSilo = new SiloAddress("127.0.0.1", 30001, 638000000000000001),
        SendingClient = "cli/abc",
        TargetSilo = new SiloAddress("10.0.0.7", 30002, 42),
        TimeToLive = TimeSpan.FromMilliseconds(2500),
        Rejection = RejectionReason.NotHere,
        Redirect = new SiloAddress("10.0.0.8", 30003, 43),
        Headers = new Dictionary<string, string> { [RequestContext.TraceParent] = "00-abc-def-01", [RequestContext.Tenant] = "acme" },
        Body = new byte[] { 0x92, 0x01, 0xA1, 0x78 },
    };

    [Fact]
    public void Every_field_survives_a_round_trip()
    {
        var decoded = MessageCodec.Read(MessageCodec.Encode(Full));

        decoded.Should().BeEquivalentTo(Full, options => options.Excluding(m => m.Body));
        decoded.Body.ToArray().Should().Equal(Full.Body.ToArray());
    }

    [Fact]
    public void A_minimal_message_round_trips_with_empty_optional_fields()
    {
        var ping = new Message { Id = 7, Kind = MessageKind.Ping };

        var decoded = MessageCodec.Read(MessageCodec.Encode(ping));

        decoded.Kind.Should().Be(MessageKind.Ping);
        decoded.Target.Type.Should().BeNull();
        decoded.SendingSilo.Should().BeNull();
        decoded.TimeToLive.Should().BeNull();
        decoded.Headers.Should().BeNull();
        decoded.Body.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void A_message_split_across_buffer_segments_decodes()
    {
        byte[] encoded = MessageCodec.Encode(Full);
        var first = new Segment(encoded.AsMemory(0, 10));
        var last = first.Append(encoded.AsMemory(10));

        var decoded = MessageCodec.Read(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));

        decoded.Id.Should().Be(Full.Id);
        decoded.Body.ToArray().Should().Equal(Full.Body.ToArray());
    }

    [Fact]
    public void Fields_appended_by_a_newer_sender_are_skipped()
    {
        byte[] encoded = MessageCodec.Encode(Full);
        encoded[0]++; // fixarray header: one more element
        byte[] extended = [.. encoded, 0xA5, (byte)'x', (byte)'t', (byte)'r', (byte)'a', (byte)'s'];

        MessageCodec.Read(extended).Id.Should().Be(Full.Id);
    }

    [Theory]
    [InlineData(new byte[] { 0xC1 })]
    [InlineData(new byte[] { 0x93, 0x01, 0x01, 0x01 })]
    [InlineData(new byte[] { 0x9E, 0x02 })]
    [InlineData(new byte[] { 0xA3, 0x61, 0x62, 0x63 })]
    public void Malformed_input_is_a_typed_error(byte[] payload)
    {
        var read = () => MessageCodec.Read(payload);

        read.Should().Throw<InvalidMessageException>();
    }

    [Fact]
    public void Unknown_versions_kinds_and_bad_addresses_are_typed_errors()
    {
        Mutate((ref MessagePackWriter w) => w.Write(99), field: 0).Should().Throw<InvalidMessageException>().WithMessage("*version 99*");
        Mutate((ref MessagePackWriter w) => w.Write(77), field: 1).Should().Throw<InvalidMessageException>().WithMessage("*kind 77*");
        Mutate((ref MessagePackWriter w) => w.WriteString("not-an-address"), field: 6).Should().Throw<InvalidMessageException>();
        Mutate((ref MessagePackWriter w) => w.Write(9), field: 10).Should().Throw<InvalidMessageException>().WithMessage("*rejection reason 9*");
    }

    [Fact]
    public void Random_and_truncated_bytes_never_escape_as_anything_but_InvalidMessageException()
    {
        var random = new Random(12345);
        byte[] valid = MessageCodec.Encode(Full);
        for (int i = 0; i < 2000; i++)
        {
            byte[] payload = i % 2 == 0
                ? valid[..random.Next(valid.Length)]
                : valid.Select(b => random.Next(10) == 0 ? (byte)random.Next(256) : b).ToArray();
            try
            {
                MessageCodec.Read(payload);
            }
            catch (InvalidMessageException)
            {
            }
        }
    }

    private static Action Mutate(WriteField replacement, int field)
    {
        // Re-encodes the full message with one top-level field replaced.
        var original = new MessagePackReader(MessageCodec.Encode(Full));
        int count = original.ReadArrayHeader();
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(count);
        for (int i = 0; i < count; i++)
        {
            var raw = original.ReadRaw();
            if (i == field)
            {
                replacement(ref writer);
            }
            else
            {
                writer.WriteRaw(raw);
            }
        }

        byte[] payload = buffer.WrittenSpan.ToArray();
        return () => MessageCodec.Read(payload);
    }

    private delegate void WriteField(ref MessagePackWriter writer);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
