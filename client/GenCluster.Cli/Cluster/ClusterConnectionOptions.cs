using System.CommandLine;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Client;

namespace GenCluster.Cli.Cluster;

/// <summary>The options every cluster command shares (<c>--gateway</c>, <c>--secret</c>, <c>--cluster-id</c>) and the client they make.</summary>
internal sealed class ClusterConnectionOptions
{
    public Option<string> Gateway { get; } = new("--gateway")
    {
        Description = "Silo gateways as host:port, comma-separated; the client fails over between them.",
        Required = true,
    };

    public Option<string> Secret { get; } = new("--secret")
    {
        Description = "The cluster secret (default: $GENCLUSTER_SECRET).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GENCLUSTER_SECRET") ?? string.Empty,
    };

    public Option<string> ClusterId { get; } = new("--cluster-id")
    {
        Description = "The cluster id the silos were started with.",
        DefaultValueFactory = _ => "dev",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Gateway);
        command.Options.Add(Secret);
        command.Options.Add(ClusterId);
    }

    /// <summary>A connected client.</summary>
    /// <exception cref="ArgumentException">The gateway list or the secret is missing or malformed.</exception>
    public async Task<ClusterClient> ConnectAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var gateways = (parse.GetValue(Gateway) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (gateways.Length == 0 || gateways.Any(g => g.LastIndexOf(':') is <= 0 || !int.TryParse(g[(g.LastIndexOf(':') + 1)..], out _)))
        {
            throw new ArgumentException($"--gateway '{parse.GetValue(Gateway)}' must be host:port[,host:port]");
        }

        var secret = parse.GetValue(Secret);
        if (string.IsNullOrEmpty(secret))
        {
            throw new ArgumentException("--secret (or $GENCLUSTER_SECRET) is required: the silos refuse clients without the cluster secret");
        }

        var client = ClusterClient.Create(
            new ClusterClientOptions
            {
                Gateways = gateways,
                ClusterId = parse.GetValue(ClusterId) ?? "dev",
                ClusterSecret = secret,
                Tenant = Environment.UserName,
                ClientName = "gencluster-cli",
            },
            callOptions: new GrainCallOptions { ResponseTimeout = TimeSpan.FromSeconds(60) });
        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }
}
