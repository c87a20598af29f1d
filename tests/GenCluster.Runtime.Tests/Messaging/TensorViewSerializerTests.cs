using System.Buffers;
using GenCluster.MessagePack;
using GenCluster.Runtime.Serialization;

namespace GenCluster.Runtime.Tests.Messaging;

/// <summary>
/// <see cref="TensorView{T}"/> on the wire: the bytes of an array of the same elements; read in place inside an argument
/// scope until its lease ends, taking over a pooled frame outside one, and malformed tensors rejected with a typed error.
/// </summary>
public sealed class TensorViewSerializerTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(100_000)]
    public void A_view_is_written_as_the_same_bytes_as_its_array(int elements)
    {
        var values = Enumerable.Range(0, elements).Select(i => i * 0.25f).ToArray();

        MessagePackSerializer.Serialize(TensorView.Of(values)).Should().Equal(MessagePackSerializer.Serialize(values));
        MessagePackSerializer.SerializeToMemory(TensorView.Of(values)).ToArray().Should().Equal(MessagePackSerializer.Serialize(values));
    }

    [Fact]
    public void A_shaped_view_round_trips_its_shape_and_a_default_view_is_nil()
    {
        long[] values = [1, 2, 3, 4, 5, 6];
        var bytes = MessagePackSerializer.Serialize(TensorView.Of<long>(values, [3, 2]));

        var view = MessagePackSerializer.Deserialize<TensorView<long>>(bytes);

        view.Shape.ToArray().Should().Equal(3, 2);
        view.ToArray().Should().Equal(values);
        MessagePackSerializer.Serialize(default(TensorView<float>)).Should().Equal(MessagePackCode.Nil);
        MessagePackSerializer.Deserialize<TensorView<float>>(new[] { MessagePackCode.Nil }).IsDefault.Should().BeTrue();
    }

    [Fact]
    public void A_shape_that_does_not_match_the_memory_is_refused()
    {
        var make = () => TensorView.Of<float>(new float[6], [4, 2]);

        make.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Inside_an_argument_scope_a_view_reads_the_frame_in_place_until_its_lease_ends()
    {
        var frame = MessagePackSerializer.Serialize(new float[] { 1, 2, 3 });

        var scope = TensorViewScope.Enter();
        TensorView<float> view;
        TensorViewLease? lease;
        try
        {
            view = MessagePackSerializer.Deserialize<TensorView<float>>(frame.AsMemory());
        }
        finally
        {
            lease = scope.Exit();
        }

        lease.Should().NotBeNull("a view was read in the scope");
        view.Bytes.Overlaps(frame).Should().BeTrue("the elements are read where they were received");
        view.ToArray().Should().Equal(1, 2, 3);
        lease!.End();

        view.IsValid.Should().BeFalse();
        var read = () => view.Span.Length;
        read.Should().Throw<ObjectDisposedException>().WithMessage("*method has completed*");
        view.Invoking(v => v.ToArray()).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void A_scope_without_views_makes_no_lease()
    {
        var scope = TensorViewScope.Enter();
        MessagePackSerializer.Deserialize<float[]>(MessagePackSerializer.Serialize(new float[] { 1 }));
        scope.Exit().Should().BeNull();
    }

    [Fact]
    public void Outside_a_scope_a_view_takes_over_a_pooled_frame_and_gives_it_back_when_disposed()
    {
        var encoded = MessagePackSerializer.Serialize(new float[] { 4, 5 });
        int returned = 0;
        var owned = new OwnedBytes(encoded, encoded.Length, _ => returned++).Memory;

        var view = MessagePackSerializer.Deserialize<TensorView<float>>(owned);
        OwnedBytes.Release(owned); // what the call invoker does after deserializing a result

        returned.Should().Be(0, "the view holds the frame now");
        view.ToArray().Should().Equal(4, 5);
        view.Dispose();
        view.Dispose();
        returned.Should().Be(1);
        view.IsValid.Should().BeFalse();
    }

    [Fact]
    public void Outside_a_scope_a_view_of_memory_nobody_gave_away_is_a_copy()
    {
        var encoded = MessagePackSerializer.Serialize(new float[] { 7, 8 });

        var view = MessagePackSerializer.Deserialize<TensorView<float>>(encoded.AsMemory());
        encoded.AsSpan().Clear();

        view.Bytes.Overlaps(encoded).Should().BeFalse();
        view.ToArray().Should().Equal(7, 8);
    }

    [Fact]
    public void Outside_a_scope_a_large_copy_lies_in_a_pooled_array_that_disposing_gives_back()
    {
        // An empty pool (test collections run one at a time), so the array that comes back can only be the copy's.
        LargeBufferPool.Clear();
        var values = Enumerable.Range(0, 333_331).Select(i => (float)i).ToArray();
        var encoded = MessagePackSerializer.Serialize(values);

        var view = MessagePackSerializer.Deserialize<TensorView<float>>(encoded.AsMemory());
        encoded.AsSpan().Clear();
        view.ToArray().Should().Equal(values, "a copy, not the caller's memory");
        ref readonly byte copy = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(view.Bytes);
        view.Dispose();

        view.IsValid.Should().BeFalse("its array may now hold another message");
        var rented = LargeBufferPool.Rent(values.Length * sizeof(float));
        System.Runtime.CompilerServices.Unsafe.AreSame(ref System.Runtime.CompilerServices.Unsafe.AsRef(in copy), ref rented[0])
            .Should().BeTrue("the copy's array went back to the pool");
        LargeBufferPool.Return(rented);
    }

    [Fact]
    public void A_lent_view_is_shared_with_an_in_silo_callee_of_a_two_way_call_and_copied_for_a_one_way_call()
    {
        var values = Enumerable.Range(0, 50_000).Select(i => (float)i).ToArray();
        using var buffer = SerializationBuffer.Rent(keepReferences: true);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(1);
        Serializer<TensorView<float>>.Instance.Serialize(ref writer, TensorView.Of(values));
        var body = buffer.TakeWritten();

        var shared = SegmentedMemory.HandOverCopy(body, shareLent: true);
        var copied = SegmentedMemory.HandOverCopy(body, shareLent: false);

        ReadSingleView(shared).Bytes.Overlaps(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())).Should().BeTrue("a two-way callee reads the caller's memory");
        ReadSingleView(copied).Bytes.Overlaps(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())).Should().BeFalse("a one-way call completes before its callee runs");
        ReadSingleView(copied).ToArray().Should().Equal(values);
    }

    [Fact]
    public void A_tensor_of_another_dtype_is_refused_with_a_typed_error()
    {
        var doubles = MessagePackSerializer.Serialize(new double[] { 1, 2 });

        var read = () => MessagePackSerializer.Deserialize<TensorView<float>>(doubles);

        read.Should().Throw<MessagePackDecodeException>().Which.Error.Should().Be(MessagePackDecodeError.InvalidTensor);
    }

    [Fact]
    public void Data_shorter_than_the_shape_needs_is_refused_with_a_typed_error()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(4);
        writer.WriteString("nd");
        writer.Write(true);
        writer.WriteString("type");
        writer.WriteString("<f4");
        writer.WriteString("shape");
        writer.WriteArrayHeader(1);
        writer.Write(3);
        writer.WriteString("data");
        writer.WriteBinary(new byte[8]);

        var read = () => MessagePackSerializer.Deserialize<TensorView<float>>(buffer.WrittenMemory);

        read.Should().Throw<MessagePackDecodeException>().Which.Error.Should().Be(MessagePackDecodeError.InvalidTensor);
    }

    // As a generated invoker reads arguments: inside a scope (the lease is left open, as during the call).
    private static TensorView<float> ReadSingleView(ReadOnlyMemory<byte> body)
    {
        var scope = TensorViewScope.Enter();
        try
        {
            var reader = new MessagePackReader(SegmentedMemory.AsSequence(body));
            reader.ReadArrayHeader().Should().Be(1);
            return Serializer<TensorView<float>>.Instance.Deserialize(ref reader);
        }
        finally
        {
            scope.Exit();
        }
    }

    [Fact]
    public void A_frame_cut_inside_the_data_is_refused_with_a_typed_error()
    {
        var bytes = MessagePackSerializer.Serialize(new float[1000]);

        var read = () => MessagePackSerializer.Deserialize<TensorView<float>>(bytes.AsMemory(0, bytes.Length - 10));

        read.Should().Throw<MessagePackDecodeException>();
    }
}
