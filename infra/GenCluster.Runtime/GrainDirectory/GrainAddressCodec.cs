using System.Buffers;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.GrainDirectory;

/// <summary>The wire form of directory requests and replies: grain ids and addresses as MessagePack arrays.</summary>
internal static class GrainAddressCodec
{
    /// <summary>Encodes <paramref name="grainId"/> as <c>[type, key]</c>.</summary>
    public static byte[] EncodeGrainId(GrainId grainId)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(2);
        writer.WriteString(grainId.Type);
        writer.WriteString(grainId.Key);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a <c>[type, key]</c> grain id.</summary>
    /// <exception cref="FormatException">The bytes are not a grain id.</exception>
    public static GrainId DecodeGrainId(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new MessagePackReader(body);
            if (reader.ReadArrayHeader() != 2)
            {
                throw new FormatException("a grain id is a [type, key] pair");
            }

            return new GrainId(reader.ReadString(), reader.ReadString());
        }
        catch (MessagePackDecodeException e)
        {
            throw new FormatException($"malformed grain id: {e.Reason}", e);
        }
    }

    /// <summary>Encodes <paramref name="address"/> as <c>[type, key, silo, activationId]</c>, or nil.</summary>
    public static byte[] EncodeAddress(GrainAddress? address)
    {
        var buffer = new ArrayBufferWriter<byte>(96);
        var writer = new MessagePackWriter(buffer);
        if (address is null)
        {
            writer.WriteNil();
        }
        else
        {
            writer.WriteArrayHeader(4);
            writer.WriteString(address.GrainId.Type);
            writer.WriteString(address.GrainId.Key);
            writer.WriteString(address.Silo.ToString());
            writer.Write(address.ActivationId);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes an address or nil.</summary>
    /// <exception cref="FormatException">The bytes are not an address.</exception>
    public static GrainAddress? DecodeAddress(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new MessagePackReader(body);
            if (reader.TryReadNil())
            {
                return null;
            }

            if (reader.ReadArrayHeader() != 4)
            {
                throw new FormatException("a grain address is a [type, key, silo, activation] array");
            }

            var grainId = new GrainId(reader.ReadString(), reader.ReadString());
            return new GrainAddress(grainId, SiloAddress.Parse(reader.ReadString()), reader.ReadInt64());
        }
        catch (MessagePackDecodeException e)
        {
            throw new FormatException($"malformed grain address: {e.Reason}", e);
        }
    }
}
