namespace GenCluster.Transport;

/// <summary>
/// Puts off the socket writes of the frames this thread sends until the batch ends, so a thread that sends many frames
/// in a row (the replies to one read's requests, a batch of grain turns) makes one socket write per connection instead
/// of one per frame. Outside a batch, a frame sent while the connection's send loop is idle is written at once on the
/// sending thread; inside one, at the end of the batch.
/// </summary>
/// <remarks>
/// Code inside a batch must not wait synchronously for anything that needs those frames delivered (it would wait for
/// itself). A sender that has to wait for room in a full send queue starts its connection's pending write at once.
/// </remarks>
public static class SendBatch
{
    [ThreadStatic]
    private static List<(SocketConnection Connection, Action<object?> Action, object? State)>? t_gathered;

    [ThreadStatic]
    private static bool t_gathering;

    /// <summary>Starts a batch on this thread (nested batches end with the outermost one).</summary>
    /// <returns>Ends the batch and makes its socket writes when disposed, on the same thread.</returns>
    public static Scope Begin()
    {
        bool outermost = !t_gathering;
        t_gathering = true;
        return new Scope(outermost);
    }

    /// <summary>Whether this thread is inside a batch.</summary>
    internal static bool IsGathering => t_gathering;

    /// <summary>Keeps a connection's send pass to run when the batch ends.</summary>
    internal static void Add(SocketConnection connection, Action<object?> action, object? state) =>
        (t_gathered ??= []).Add((connection, action, state));

    /// <summary>Takes back the send pass kept for <paramref name="connection"/>, if any.</summary>
    internal static (Action<object?> Action, object? State)? Take(SocketConnection connection)
    {
        var gathered = t_gathered;
        int index = gathered?.FindIndex(g => ReferenceEquals(g.Connection, connection)) ?? -1;
        if (index < 0)
        {
            return null;
        }

        var (_, action, state) = gathered![index];
        gathered.RemoveAt(index);
        return (action, state);
    }

    private static void End()
    {
        t_gathering = false;
        if (t_gathered is not { Count: > 0 } gathered)
        {
            return;
        }

        // A send pass only writes to its socket, so the list does not grow meanwhile; index anyway, it is this thread's.
        for (int i = 0; i < gathered.Count; i++)
        {
            var (_, action, state) = gathered[i];
            gathered[i] = default;
            SocketConnection.RunSendPass(action, state);
        }

        gathered.Clear();
    }

    /// <summary>The extent of a batch; see <see cref="Begin"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly bool _outermost;

        internal Scope(bool outermost)
        {
            _outermost = outermost;
        }

        /// <summary>Ends the batch (if it is the outermost) and makes the socket writes it put off.</summary>
        public void Dispose()
        {
            if (_outermost)
            {
                End();
            }
        }
    }
}
