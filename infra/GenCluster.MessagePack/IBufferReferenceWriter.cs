using System.Buffers;

namespace GenCluster.MessagePack;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that can also take a block of bytes by reference: the block becomes part of the
/// output at the current position without being copied (a large tensor's data, say, sent straight from its array).
/// </summary>
/// <remarks>
/// Whoever hands a block over promises not to change it until the output has been consumed (for a grain call: until
/// the call completes). Writers that cannot keep references simply are not this interface, and
/// <see cref="MessagePackWriter.WriteRawByReference"/> copies instead.
/// </remarks>
public interface IBufferReferenceWriter : IBufferWriter<byte>
{
    /// <summary>Appends <paramref name="bytes"/> to the output by reference.</summary>
    /// <param name="bytes">The block; it must stay unchanged until the output has been consumed.</param>
    void WriteByReference(ReadOnlyMemory<byte> bytes);
}
