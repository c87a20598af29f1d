using System.Net;
using GenCluster.Membership;
using GenCluster.Runtime;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Client;
using GenCluster.Runtime.Hosting;
using GenCluster.Runtime.Persistence;
using GenCluster.Storage;
using GenCluster.Storage.FileSystem;
using GenCluster.Training.Grains.Data;
using GenCluster.Training.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenCluster.Training.Grains.Tests.Support;

/// <summary>
/// Silos in this process on 127.0.0.1 (silo-1, silo-2, …, each offering cpu:0 and cpu:1) hosting the training grains,
/// sharing one in-memory membership table, one data-set cache and one checkpoint store (a temporary folder), plus a
/// connected client.
/// Set GENCLUSTER_TEST_LOGS=1 to see the logs.
/// </summary>
public sealed class InProcessCluster : IAsyncLifetime
{
    public const string ClusterId = "training-tests";
    public const string Secret = "training-tests-secret";

    private readonly List<IHost> _silos = [];
    private readonly InMemoryMembershipTable _table = new();
    private readonly TrainingDatasets _datasets = new(Options.Create(new TrainingGrainOptions()));
    private readonly TemporaryDirectory _checkpointDirectory = new("gencluster-checkpoints");

    /// <summary>The object store every silo of this cluster writes checkpoints to.</summary>
    public IObjectStore Checkpoints { get; private set; } = null!;

    public ClusterClient Client { get; private set; } = null!;

    public int SiloCount => 2;

    public async Task InitializeAsync()
    {
        Checkpoints = new FileSystemObjectStore(_checkpointDirectory.Path);
        for (var i = 1; i <= SiloCount; i++)
        {
            _silos.Add(await StartSiloAsync($"silo-{i}"));
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (_silos.Any(s => s.Services.GetRequiredService<SiloHost>().GetHealth().ActiveSilos < SiloCount))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the in-process silos did not all see each other active within 30 s");
            }

            await Task.Delay(50);
        }

        Client = ClusterClient.Create(
            new ClusterClientOptions
            {
                Gateways = [.. _silos.Select(s => s.Services.GetRequiredService<SiloHost>().Address!.Value).Select(a => $"{a.Host}:{a.Port}")],
                ClusterId = ClusterId,
                ClusterSecret = Secret,
                Tenant = "tests",
                ClientName = "training-tests",
            },
            LoggerFactory.Create(ConfigureLogging),
            new GrainCallOptions { ResponseTimeout = TimeSpan.FromSeconds(60) });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Client.ConnectAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await silo.StopAsync(timeout.Token);
            }
            finally
            {
                silo.Dispose();
            }
        }

        _checkpointDirectory.Dispose();
    }

    private async Task<IHost> StartSiloAsync(string name)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        ConfigureLogging(builder.Logging);
        var services = builder.Services;
        services.AddSingleton<IMembershipTable>(_table);
        services.AddGenClusterSilo(options =>
        {
            options.SiloName = name;
            options.ClusterId = ClusterId;
            options.ClusterSecret = Secret;
            options.ListenEndpoint = new IPEndPoint(IPAddress.Loopback, 0);
            options.Devices = ["cpu:0", "cpu:1"];
            options.ShutdownTimeout = TimeSpan.FromSeconds(5);
        });
        services.Configure<MembershipOptions>(options =>
        {
            options.ProbeInterval = TimeSpan.FromMilliseconds(500);
            options.ProbeTimeout = TimeSpan.FromSeconds(2);
            options.MissedProbesLimit = 3;
            options.VotesForDeathDeclaration = 1;
            options.TableRefreshInterval = TimeSpan.FromMilliseconds(200);
            options.IAmAliveInterval = TimeSpan.FromSeconds(1);
        });
        services.Configure<GrainCallOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(60));
        services.AddMemoryGrainStorage();
        services.AddSingleton(_datasets); // one copy of the data for every silo of this process
        services.AddSingleton(Checkpoints);
        services.AddTrainingGrains();
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        return host;
    }

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        if (Environment.GetEnvironmentVariable("GENCLUSTER_TEST_LOGS") == "1")
        {
            logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class InProcessClusterCollection : ICollectionFixture<InProcessCluster>
{
    public const string Name = "in-process training cluster";
}
