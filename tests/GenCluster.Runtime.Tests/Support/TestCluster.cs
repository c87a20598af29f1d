using System.Net;
using GenCluster.Membership;
using GenCluster.Runtime.Activation;
using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Client;
using GenCluster.Runtime.Hosting;
using GenCluster.Runtime.Persistence;
using GenCluster.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GenCluster.Runtime.Tests.Support;

/// <summary>
/// Silos in this process on 127.0.0.1 (ports chosen by the OS) sharing one in-memory membership table and one file
/// storage directory, plus clients. Membership is tuned so a crashed silo is declared dead within a second or two.
/// Set GENCLUSTER_TEST_LOGS=1 to see the runtime's logs on the console.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    public const string ClusterId = "runtime-tests";
    public const string Secret = "runtime-tests-secret";

    private readonly List<TestSilo> _silos = [];
    private readonly List<ClusterClient> _clients = [];
    private readonly Action<IServiceCollection>? _configure;

    private TestCluster(Action<IServiceCollection>? configure)
    {
        _configure = configure;
    }

    public InMemoryMembershipTable Table { get; } = new();

    public TemporaryDirectory Storage { get; } = new("gencluster-runtime-tests");

    public IReadOnlyList<TestSilo> Silos => _silos;

    public TestSilo this[string name] => _silos.Single(s => s.Name == name);

    /// <summary>Starts <paramref name="siloCount"/> silos named silo-1, silo-2, …, and waits until each sees all of them active.</summary>
    public static async Task<TestCluster> StartAsync(int siloCount = 3, Action<IServiceCollection>? configure = null)
    {
        var cluster = new TestCluster(configure);
        try
        {
            for (int i = 1; i <= siloCount; i++)
            {
                await cluster.StartSiloAsync($"silo-{i}");
            }

            await cluster.WaitUntilAsync(() => cluster._silos.All(s => s.Silo.GetHealth().ActiveSilos == siloCount), "every silo sees every silo active");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<TestSilo> StartSiloAsync(string name)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        ConfigureLogging(builder.Logging);
        var services = builder.Services;
        services.AddSingleton<IMembershipTable>(Table);
        services.AddGenClusterSilo(options =>
        {
            options.SiloName = name;
            options.ClusterId = ClusterId;
            options.ClusterSecret = Secret;
            options.ListenEndpoint = new IPEndPoint(IPAddress.Loopback, 0);
            options.Devices = ["cpu:0"];
            options.ShutdownTimeout = TimeSpan.FromSeconds(10);
        });
        services.Configure<MembershipOptions>(options =>
        {
            // A crashed silo refuses connections at once, so it is declared dead after about three intervals; the
            // generous timeout keeps slow first probes (cold code, a loaded machine) from looking like deaths.
            options.ProbeInterval = TimeSpan.FromMilliseconds(500);
            options.ProbeTimeout = TimeSpan.FromSeconds(2);
            options.MissedProbesLimit = 3;
            options.VotesForDeathDeclaration = 2;
            options.TableRefreshInterval = TimeSpan.FromMilliseconds(200);
            options.IAmAliveInterval = TimeSpan.FromSeconds(1);
        });
        services.Configure<GrainCallOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(10));
        services.AddFileGrainStorage("files", Storage.Path);
        services.AddMemoryGrainStorage();
        _configure?.Invoke(services);

        var host = builder.Build();
        var silo = new TestSilo(name, host);
        _silos.Add(silo);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        return silo;
    }

    /// <summary>A connected client; gateways default to every silo in start order.</summary>
    public async Task<ClusterClient> ConnectClientAsync(string? tenant = null, IEnumerable<string>? gateways = null, TimeSpan? responseTimeout = null)
    {
        var client = CreateClient(tenant, gateways, responseTimeout);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(timeout.Token);
        return client;
    }

    /// <summary>A client that has not connected yet.</summary>
    public ClusterClient CreateClient(string? tenant = null, IEnumerable<string>? gateways = null, TimeSpan? responseTimeout = null)
    {
        var options = new ClusterClientOptions
        {
            Gateways = [.. gateways ?? _silos.Select(s => s.Gateway)],
            ClusterId = ClusterId,
            ClusterSecret = Secret,
            Tenant = tenant,
            ClientName = "test-client",
        };
        var client = ClusterClient.Create(options, CreateLoggerFactory(), new GrainCallOptions { ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(10) });
        _clients.Add(client);
        return client;
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds.</summary>
    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"timed out waiting until {what}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        Storage.Dispose();
    }

    private static bool LogsWanted => Environment.GetEnvironmentVariable("GENCLUSTER_TEST_LOGS") == "1";

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        if (LogsWanted)
        {
            logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Debug);
        }
    }

    private static ILoggerFactory CreateLoggerFactory() => LoggerFactory.Create(ConfigureLogging);
}
