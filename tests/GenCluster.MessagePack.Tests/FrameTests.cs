using System.Buffers;
using GenCluster.MessagePack.Tests.Support;

namespace GenCluster.MessagePack.Tests;

/// <summary>[u32 big-endian length][one msgpack value] framing.</summary>
public class FrameTests
{
    [Fact]
    public void Frame_is_a_big_endian_length_then_the_payload()
    {
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteFrame(buffer, [0xc0]);
        FrameWriter.WriteFrame(buffer, 300, static (ref MessagePackWriter w, int n) =>
        {
            w.WriteArrayHeader(2);
            w.Write(n);
            w.WriteString("x");
        });
        buffer.WrittenSpan.ToArray().Should().Equal(Bytes.Hex("00000001 c0 00000006 92 cd012c a178"));
    }

    [Fact]
    public void Frames_are_extracted_one_by_one_and_incomplete_input_waits()
    {
        var frames = new FrameReader();
        var input = new ReadOnlySequence<byte>(Bytes.Hex("00000001 c0 00000003 92 01 02 000000"));

        frames.TryReadFrame(ref input, out var first).Should().BeTrue();
        first.ToArray().Should().Equal([0xc0]);
        frames.TryReadFrame(ref input, out var second).Should().BeTrue();
        second.ToArray().Should().Equal(Bytes.Hex("920102"));
        frames.BytesConsumed.Should().Be(12);

        // Three bytes of the next header: not enough, nothing consumed.
        frames.TryReadFrame(ref input, out _).Should().BeFalse();
        input.Length.Should().Be(3);

        // Header complete, payload not yet.
        var partial = new ReadOnlySequence<byte>(Bytes.Hex("00000005 a4 6162"));
        frames.TryReadFrame(ref partial, out _).Should().BeFalse();
        partial.Length.Should().Be(7);
    }

    [Fact]
    public void Oversized_frame_is_rejected_from_its_header_alone()
    {
        var frames = new FrameReader(maxFrameSize: 1024);
        var header = new ReadOnlySequence<byte>(Bytes.Hex("00000401"));
        var act = () => frames.TryReadFrame(ref header, out _);
        act.Should().Throw<MessagePackDecodeException>().Which.Error.Should().Be(MessagePackDecodeError.FrameTooLarge);

        var huge = new ReadOnlySequence<byte>(Bytes.Hex("ffffffff 00"));
        var act2 = () => new FrameReader().TryReadFrame(ref huge, out _);
        act2.Should().Throw<MessagePackDecodeException>().Which.Error.Should().Be(MessagePackDecodeError.FrameTooLarge);

        var exact = new ReadOnlySequence<byte>(Bytes.Concat(Bytes.Hex("00000400 c5 03fd"), new byte[1021]));
        frames.TryReadFrame(ref exact, out var payload).Should().BeTrue();
        payload.Length.Should().Be(1024);
    }

    [Fact]
    public void Empty_frame_is_rejected()
    {
        var input = new ReadOnlySequence<byte>(Bytes.Hex("00000000"));
        var act = () => new FrameReader().TryReadFrame(ref input, out _);
        act.Should().Throw<MessagePackDecodeException>().Which.Error.Should().Be(MessagePackDecodeError.InvalidFrame);
    }

    [Fact]
    public void Validating_reader_rejects_malformed_payloads_with_stream_positions()
    {
        var frames = new FrameReader(validationOptions: MessagePackReaderOptions.Default);
        var input = new ReadOnlySequence<byte>(Bytes.Hex("00000001 c0 00000002 c0 c0"));
        frames.TryReadFrame(ref input, out _).Should().BeTrue();
        var trailing = () => frames.TryReadFrame(ref input, out _);
        var error = trailing.Should().Throw<MessagePackDecodeException>().Which;
        error.Error.Should().Be(MessagePackDecodeError.InvalidFrame);
        error.Position.Should().Be(10);

        var bad = new ReadOnlySequence<byte>(Bytes.Hex("00000003 92 01 c1"));
        var reserved = () => new FrameReader(validationOptions: MessagePackReaderOptions.Default).TryReadFrame(ref bad, out _);
        var inner = reserved.Should().Throw<MessagePackDecodeException>().Which;
        inner.Error.Should().Be(MessagePackDecodeError.ReservedCode);
        inner.Position.Should().Be(6);

        var truncated = new ReadOnlySequence<byte>(Bytes.Hex("00000002 92 01"));
        var truncatedAct = () => FrameReader.ValidatePayload(truncated.Slice(4));
        truncatedAct.Should().Throw<MessagePackDecodeException>().Which.Error.Should().Be(MessagePackDecodeError.Truncated);
    }

    [Fact]
    public void Frames_split_across_arbitrary_segments_are_reassembled()
    {
        var values = new RandomValues(11, allowLarge: false);
        var expected = new List<byte[]>();
        var buffer = new ArrayBufferWriter<byte>();
        for (int i = 0; i < 200; i++)
        {
            byte[] payload = Bytes.Encode(values.Next());
            expected.Add(payload);
            FrameWriter.WriteFrame(buffer, payload);
        }

        byte[] stream = buffer.WrittenSpan.ToArray();
        var random = new Random(5);
        for (int trial = 0; trial < 20; trial++)
        {
            // Feed the stream in random chunks, as a pipe would, keeping unconsumed bytes.
            var frames = new FrameReader(validationOptions: MessagePackReaderOptions.Default);
            var received = new List<byte[]>();
            int fed = 0;
            byte[] pending = [];
            while (fed < stream.Length)
            {
                int chunk = Math.Min(random.Next(1, 300), stream.Length - fed);
                pending = Bytes.Concat(pending, stream.AsSpan(fed, chunk).ToArray());
                fed += chunk;
                var sequence = Segmented.SplitRandomly(pending, random, 64);
                while (frames.TryReadFrame(ref sequence, out var payload))
                {
                    received.Add(payload.ToArray());
                }

                pending = sequence.ToArray();
            }

            pending.Should().BeEmpty();
            received.Should().HaveCount(expected.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                received[i].Should().Equal(expected[i]);
            }
        }
    }

    [Fact]
    public void Writer_refuses_empty_and_oversized_payloads()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var empty = () => FrameWriter.WriteFrame(buffer, ReadOnlySpan<byte>.Empty);
        var oversized = () => FrameWriter.WriteFrame(buffer, new byte[11], maxFrameSize: 10);
        var oversizedBody = () => FrameWriter.WriteFrame(buffer, 0, static (ref MessagePackWriter w, int _) => w.WriteBinary(new byte[100]), maxFrameSize: 10);
        empty.Should().Throw<ArgumentException>();
        oversized.Should().Throw<ArgumentException>();
        oversizedBody.Should().Throw<ArgumentException>();
        buffer.WrittenCount.Should().Be(0);
    }
}
