using System.Net;
using GenCluster.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Transport.Tests;

/// <summary>Options, identities and factories shared by the transport tests.</summary>
internal static class TestTransport
{
    public const string Secret = "correct-horse-battery-staple-0123456789";

    public static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    public static PeerIdentity SiloIdentity(string name = "silo-a", int port = 11111) =>
        new(ConnectionRole.Silo, name, new SiloAddress("127.0.0.1", port, 638_000_000_000_000_000));

    public static PeerIdentity ClientIdentity(string name = "client-1", string? tenant = "tenant-x") =>
        new(ConnectionRole.Client, name, Tenant: tenant);

    public static TransportOptions Options(string secret = Secret, Action<TransportOptions>? configure = null)
    {
        var options = new TransportOptions { ClusterSecret = secret, GracefulCloseTimeout = TimeSpan.FromSeconds(3) };
        configure?.Invoke(options);
        return options;
    }

    public static TransportClient Client(ILoggerFactory loggerFactory, TransportOptions? options = null, TimeProvider? timeProvider = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options ?? Options()), loggerFactory, timeProvider);

    public static TransportServer Server(ILoggerFactory loggerFactory, TransportOptions? options = null, TimeProvider? timeProvider = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options ?? Options()), loggerFactory, timeProvider);
}
