using System.Buffers;
using System.Runtime.InteropServices;
using GenCluster.MessagePack;
using GenCluster.Runtime.Messaging;
using GenCluster.Runtime.Serialization;

namespace GenCluster.Runtime.Tests.Messaging;

/// <summary>
/// A large tensor argument is kept by reference from the proxy's buffer to the message encoder, and a large received
/// body is kept where the transport assembled it; the bytes on the wire are the same as without either.
/// </summary>
public sealed class TensorArgumentTests
{
    private static readonly float[] Tensor = Enumerable.Range(0, 100_000).Select(i => i * 0.5f).ToArray();

    [Fact]
    public void Arguments_keep_a_large_array_by_reference_and_encode_to_the_same_message_bytes()
    {
        var referenced = WriteArguments(keepReferences: true);
        var copied = WriteArguments(keepReferences: false);

        MemoryMarshal.TryGetMemoryManager<byte, SegmentedMemory>(referenced, out var segmented).Should().BeTrue();
        segmented!.Segments.Should().Contain(s => s.Length == Tensor.Length * sizeof(float), "the array's bytes are one referenced block");
        MemoryMarshal.TryGetMemoryManager<byte, SegmentedMemory>(copied, out _).Should().BeFalse();

        var request = new Message { Id = 9, Kind = MessageKind.Request, Target = new GrainId("worker", "silo-a/cpu:0"), Body = referenced };
        MessageCodec.Encode(request).Should().Equal(MessageCodec.Encode(request with { Body = copied }));
        MessageCodec.EstimateSize(request).Should().BeLessThan(1024, "referenced blocks need no room in the frame buffer");

        // In-silo calls read the arguments straight from the blocks.
        var reader = new MessagePackReader(referenced);
        reader.ReadArrayHeader().Should().Be(2);
        Serializer<float[]>.Instance.Deserialize(ref reader).Should().Equal(Tensor);
        reader.ReadString().Should().Be("after");
    }

    [Fact]
    public void A_body_in_an_owned_frame_is_kept_without_a_copy_and_other_bodies_are_copied()
    {
        var encoded = MessageCodec.Encode(new Message { Id = 3, Kind = MessageKind.Response, Body = WriteArguments(keepReferences: false) });

        var fromOwned = MessageCodec.Read(new ReadOnlySequence<byte>(new OwnedBytes(encoded).Memory));
        var fromBuffer = MessageCodec.Read(new ReadOnlySequence<byte>(encoded));

        MemoryMarshal.TryGetArray(fromOwned.Body, out var kept).Should().BeTrue();
        kept.Array.Should().BeSameAs(encoded);
        MemoryMarshal.TryGetArray(fromBuffer.Body, out var copied).Should().BeTrue();
        copied.Array.Should().NotBeSameAs(encoded);
        fromOwned.Body.ToArray().Should().Equal(fromBuffer.Body.ToArray());
        MessagePackSerializer.Deserialize<(float[], string)>(fromOwned.Body).Item1.Should().Equal(Tensor);
    }

    [Fact]
    public void A_result_is_copied_when_returned_so_a_grain_may_change_an_array_it_returned()
    {
        var array = (float[])Tensor.Clone();
        var result = MessagePackSerializer.SerializeToMemory(array);
        array[0] = -1f;

        MessagePackSerializer.Deserialize<float[]>(result)[0].Should().Be(0f);
    }

    [Fact]
    public void A_large_result_is_copied_once_and_the_first_reader_takes_the_copy_over()
    {
        var array = (float[])Tensor.Clone();
        var result = MessagePackSerializer.SerializeToMemory(array);

        var first = MessagePackSerializer.Deserialize<float[]>(result);
        var second = MessagePackSerializer.Deserialize<float[]>(result);

        MemoryMarshal.TryGetMemoryManager<byte, SegmentedMemory>(result, out var segmented).Should().BeTrue("the copy travels as a block of its own");
        segmented!.Segments.Any(s => Overlaps(s, first)).Should().BeTrue("the reader took the copy instead of copying it again");
        first.Should().NotBeSameAs(array).And.Equal(Tensor);
        second.Should().NotBeSameAs(first, "a hand-over copy is taken at most once; later readers copy").And.Equal(Tensor);
        MessageCodec.Encode(new Message { Id = 1, Kind = MessageKind.Response, Body = result })
            .Should().Equal(MessageCodec.Encode(new Message { Id = 1, Kind = MessageKind.Response, Body = result.ToArray() }), "a remote reply sends the same bytes");
    }

    [Fact]
    public void An_in_silo_hand_over_copy_does_not_see_later_changes_of_the_callers_array_and_is_taken_once()
    {
        var array = (float[])Tensor.Clone();
        using var buffer = SerializationBuffer.Rent(keepReferences: true);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(2);
        Serializer<float[]>.Instance.Serialize(ref writer, array);
        writer.WriteString("after");
        var arguments = buffer.TakeWritten();

        var delivered = SegmentedMemory.HandOverCopy(arguments);
        array[1] = -1f; // the caller gave up and reuses its array: the callee must not see it

        var (received, after) = MessagePackSerializer.Deserialize<(float[], string)>(delivered);
        var again = MessagePackSerializer.Deserialize<(float[], string)>(delivered).Item1;
        received.Should().NotBeSameAs(array).And.Equal(Tensor);
        after.Should().Be("after");
        again.Should().NotBeSameAs(received).And.Equal(Tensor);
        MessagePackSerializer.Deserialize<(float[], string)>(arguments).Item1[1].Should().Be(-1f, "the caller's arguments still reference its array");
    }

    private static bool Overlaps(ReadOnlyMemory<byte> block, float[] array) => block.Span.Overlaps(MemoryMarshal.AsBytes(array.AsSpan()));

    private static ReadOnlyMemory<byte> WriteArguments(bool keepReferences)
    {
        using var buffer = SerializationBuffer.Rent(keepReferences);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(2);
        Serializer<float[]>.Instance.Serialize(ref writer, Tensor);
        writer.WriteString("after");
        return buffer.TakeWritten();
    }
}
