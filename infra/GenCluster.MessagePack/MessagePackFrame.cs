namespace GenCluster.MessagePack;

/// <summary>
/// The frame layout of the wire: a 4-byte big-endian unsigned payload length followed by the payload, which is
/// exactly one MessagePack value. See <see cref="FrameReader"/> and <see cref="FrameWriter"/>.
/// </summary>
public static class MessagePackFrame
{
    /// <summary>Size of the length prefix.</summary>
    public const int HeaderSize = 4;

    /// <summary>Default largest accepted payload: 64 MiB.</summary>
    public const int DefaultMaxFrameSize = 64 * 1024 * 1024;
}
