using System.Buffers;
using System.Runtime.InteropServices;

namespace GenCluster.MessagePack.Tests;

/// <summary>Blocks written by reference, the segmented memory that carries them, and owned frame bodies.</summary>
public class ReferencedBytesTests
{
    [Fact]
    public void A_large_tensor_is_referenced_by_an_output_that_keeps_references_and_copied_by_one_that_does_not()
    {
        var data = Enumerable.Range(0, 40_000).Select(i => i * 0.25f).ToArray(); // 160 KB, above the reference size
        var referencing = new ReferenceRecorder();
        var copying = new ArrayBufferWriter<byte>();

        long[] shape = [data.Length];
        var writer = new MessagePackWriter(referencing);
        writer.WriteTensorByReference(ArrayBytes.Of(data), TensorDType.Float32, shape);
        writer = new MessagePackWriter(copying);
        writer.WriteTensorByReference(ArrayBytes.Of(data), TensorDType.Float32, shape);

        referencing.References.Should().ContainSingle().Which.Length.Should().Be(data.Length * sizeof(float));
        referencing.Written.Count.Should().BeLessThan(64, "only the tensor map's header is written");
        var joined = new SegmentedMemory([referencing.Written.ToArray(), referencing.References[0]]);
        joined.Sequence.ToArray().Should().Equal(copying.WrittenSpan.ToArray());
        var reader = new MessagePackReader(copying.WrittenMemory);
        var tensor = reader.ReadTensor();
        var decoded = new float[data.Length];
        tensor.CopyTo(decoded.AsSpan());
        decoded.Should().Equal(data);
    }

    [Fact]
    public void A_small_block_is_copied_even_by_an_output_that_keeps_references()
    {
        var output = new ReferenceRecorder();
        var writer = new MessagePackWriter(output);

        writer.WriteBinaryByReference(new byte[100]);

        output.References.Should().BeEmpty();
        output.Written.Count.Should().Be(102);
    }

    [Fact]
    public void Segmented_memory_reads_block_by_block_and_joins_only_when_a_span_is_asked_for()
    {
        var header = new byte[] { 0x93, 0x01 };
        var block = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        var encodedBlock = new ArrayBufferWriter<byte>();
        new MessagePackWriter(encodedBlock).WriteBinaryHeader(block.Length);
        var segmented = new SegmentedMemory([header, encodedBlock.WrittenMemory, block, new byte[] { 0x2A }]);
        var memory = segmented.Memory;

        var reader = new MessagePackReader(memory);
        reader.ReadArrayHeader().Should().Be(3);
        reader.ReadInt32().Should().Be(1);
        var bytes = reader.ReadBytes();
        reader.ReadInt32().Should().Be(42);
        reader.End.Should().BeTrue();
        bytes.ToArray().Should().Equal(block);
        segmented.IsJoined.Should().BeFalse("reading goes block by block");

        memory.Length.Should().Be(header.Length + encodedBlock.WrittenCount + block.Length + 1);
        memory.Span.ToArray().Should().Equal(SegmentedMemory.AsSequence(memory).ToArray());
        segmented.IsJoined.Should().BeTrue();
        SegmentedMemory.AsSequence(memory[2..]).ToArray().Should().Equal(memory.Span[2..].ToArray());
    }

    [Fact]
    public void Owned_bytes_are_recognised_only_as_one_block_of_owned_memory()
    {
        var array = new byte[] { 1, 2, 3, 4 };
        var owned = new ReadOnlySequence<byte>(new OwnedBytes(array).Memory);

        OwnedBytes.TryGetOwned(owned.Slice(1, 2), out var kept).Should().BeTrue();
        kept.ToArray().Should().Equal(2, 3);
        OwnedBytes.TryGetOwned(new ReadOnlySequence<byte>(array), out _).Should().BeFalse("a plain array may be a reused buffer");
    }

    private sealed class ReferenceRecorder : IBufferReferenceWriter
    {
        private readonly ArrayBufferWriter<byte> _written = new();

        public ArraySegment<byte> Written => new(_written.WrittenSpan.ToArray());

        public List<ReadOnlyMemory<byte>> References { get; } = [];

        public void WriteByReference(ReadOnlyMemory<byte> bytes) => References.Add(bytes);

        public void Advance(int count) => _written.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0) => _written.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => _written.GetSpan(sizeHint);
    }
}
