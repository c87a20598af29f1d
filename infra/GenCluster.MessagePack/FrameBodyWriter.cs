namespace GenCluster.MessagePack;

/// <summary>Writes the single MessagePack value that forms a frame's payload.</summary>
/// <typeparam name="TState">Caller state passed through, so the callback can be a static lambda.</typeparam>
/// <param name="writer">The writer to write the value with.</param>
/// <param name="state">The caller's state.</param>
public delegate void FrameBodyWriter<in TState>(ref MessagePackWriter writer, TState state);
