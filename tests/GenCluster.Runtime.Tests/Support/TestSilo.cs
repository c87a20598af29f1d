using GenCluster.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GenCluster.Runtime.Tests.Support;

/// <summary>One in-process silo of a <see cref="TestCluster"/>: its host, and ways to stop or crash it.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    internal TestSilo(string name, IHost host)
    {
        Name = name;
        Host = host;
        Silo = host.Services.GetRequiredService<SiloHost>();
    }

    public string Name { get; }

    public IHost Host { get; }

    public SiloHost Silo { get; }

    public SiloAddress Address => Silo.Address ?? throw new InvalidOperationException($"{Name} has not started");

    /// <summary>Where clients reach it.</summary>
    public string Gateway => $"{Address.Host}:{Address.Port}";

    /// <summary>Grain references whose calls start on this silo.</summary>
    public IGrainFactory GrainFactory => Silo.GrainFactory;

    /// <summary>A runtime service of this silo (for white-box assertions).</summary>
    internal T Service<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>Graceful shutdown: deactivate grains, leave membership.</summary>
    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Host.StopAsync(timeout.Token);
    }

    /// <summary>As if the process died: nothing deactivated, nothing written to membership.</summary>
    public Task CrashAsync() => Silo.AbortAsync("crashed by a test");

    public async ValueTask DisposeAsync()
    {
        await Silo.AbortAsync("test cluster disposed");
        Host.Dispose();
    }
}
