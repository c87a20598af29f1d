using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace GenCluster.Transport;

/// <summary>
/// Kestrel's transport for the cluster listener: accepted sockets become the same <see cref="SocketConnection"/> the
/// client side uses. Kestrel's own socket transport reads at most one 4 KiB memory block per receive call; a tensor
/// frame of many megabytes would take thousands of calls, where this reads 64 KiB at a time.
/// </summary>
internal sealed class SocketListenerFactory : IConnectionListenerFactory
{
    private const int Backlog = 512;

    private readonly TransportOptions _options;

    public SocketListenerFactory(TransportOptions options)
    {
        _options = options;
    }

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(Backlog);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException($"{endpoint} is already in use", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new ValueTask<IConnectionListener>(new SocketListener(socket, _options));
    }

    private sealed class SocketListener : IConnectionListener
    {
        private readonly Socket _socket;
        private readonly TransportOptions _options;

        public SocketListener(Socket socket, TransportOptions options)
        {
            _socket = socket;
            _options = options;
            EndPoint = socket.LocalEndPoint!;
        }

        public EndPoint EndPoint { get; }

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                Socket accepted;
                try
                {
                    accepted = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException
                    || e is SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted })
                {
                    return null; // unbound: Kestrel stops accepting
                }
                catch (SocketException)
                {
                    continue; // the peer gave up between connecting and our accept; keep listening
                }

                accepted.NoDelay = true;
                var connection = new SocketConnection(accepted, _options, kind: "server");
                connection.Start();
                return connection;
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            _socket.Dispose();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
