using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;

namespace GenCluster.Transport.Tests;

/// <summary>
/// An <see cref="IFrameHandler"/> that records what happens (connections, frames, disconnects with their errors) and
/// optionally does something with each frame (echo it, wait on a gate, throw).
/// </summary>
internal sealed class RecordingHandler : IFrameHandler
{
    private readonly Channel<ReceivedFrame> _frames = Channel.CreateUnbounded<ReceivedFrame>();
    private readonly Channel<(IFrameConnection Connection, Exception? Error)> _disconnects = Channel.CreateUnbounded<(IFrameConnection, Exception?)>();
    private readonly Channel<IFrameConnection> _connects = Channel.CreateUnbounded<IFrameConnection>();
    private long _framesSeen;

    /// <summary>Runs for each frame, before it is recorded.</summary>
    public Func<IFrameConnection, ReadOnlySequence<byte>, ValueTask>? OnFrame { get; init; }

    /// <summary>Runs for each disconnect, before it is recorded.</summary>
    public Action<IFrameConnection, Exception?>? OnDisconnect { get; init; }

    /// <summary>Whether frames are copied into <see cref="ReadFrameAsync"/>'s queue (off for bulk tests).</summary>
    public bool RecordFrames { get; init; } = true;

    public ConcurrentQueue<IFrameConnection> Connections { get; } = new();

    public long FramesSeen => Interlocked.Read(ref _framesSeen);

    public static RecordingHandler Echo(bool record = false) => new()
    {
        RecordFrames = record,
        OnFrame = static (connection, payload) => connection.SendAsync(payload, static (ref MessagePack.MessagePackWriter writer, ReadOnlySequence<byte> body) => writer.WriteRaw(body)),
    };

    public async ValueTask OnConnectedAsync(IFrameConnection connection)
    {
        Connections.Enqueue(connection);
        await _connects.Writer.WriteAsync(connection);
    }

    public async ValueTask OnFrameAsync(IFrameConnection connection, ReadOnlySequence<byte> payload)
    {
        if (OnFrame is not null)
        {
            await OnFrame(connection, payload);
        }

        Interlocked.Increment(ref _framesSeen);
        if (RecordFrames)
        {
            await _frames.Writer.WriteAsync(new ReceivedFrame(connection, payload.ToArray()));
        }
    }

    public async ValueTask OnDisconnectedAsync(IFrameConnection connection, Exception? error)
    {
        OnDisconnect?.Invoke(connection, error);
        await _disconnects.Writer.WriteAsync((connection, error));
    }

    public async Task<ReceivedFrame> ReadFrameAsync(TimeSpan? timeout = null) =>
        await _frames.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? Timeouts.Default);

    public async Task<IFrameConnection> WaitConnectedAsync(TimeSpan? timeout = null) =>
        await _connects.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? Timeouts.Default);

    public async Task<(IFrameConnection Connection, Exception? Error)> WaitDisconnectedAsync(TimeSpan? timeout = null) =>
        await _disconnects.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? Timeouts.Default);

    public bool TryReadFrame(out ReceivedFrame? frame) => _frames.Reader.TryRead(out frame);

    public bool HasDisconnects => _disconnects.Reader.TryPeek(out _);
}
