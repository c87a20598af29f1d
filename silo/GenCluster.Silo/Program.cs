using System.Net;
using System.Text.Json;
using GenCluster.Membership;
using GenCluster.Runtime.Hosting;
using GenCluster.Runtime.Persistence;
using GenCluster.Silo;
using GenCluster.Storage;
using GenCluster.Storage.FileSystem;
using GenCluster.Training.Grains.Hosting;
using GenCluster.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// gencluster-silo [--dev] [--name silo-1] [--port 30001] [--secret S] [--membership-file F] [--storage-dir D]
//                 [--health-port P] [--grain-assembly A.dll] [--devices cpu:0,cpu:1] [--Training:DatasetDirectory=D]
//                 [--checkpoint-dir D | --Checkpoints:Provider=azure] [--Membership:Provider=azure] [--Storage:Provider=azure]
//                 (azure: one connection for all, GENCLUSTER_Azure__ConnectionString or --Azure:ServiceUri=...; see docs/STORAGE.md)
// Socket completions run on the socket engine's threads instead of being handed to the thread pool: one thread
// wake-up less per message. Safe because no receive loop blocks (frame handlers decode and hand off; grain turns run
// there only within GrainCollectionOptions.InlineTurnBudget; one silo connection at a time may poll for its next bytes
// there, for at most Transport:SiloReceivePolling). .NET reads the variable once, when the first socket is
// used, so it must be set before anything else; an operator's own setting (e.g. 0) wins. See docs/PERFORMANCE.md.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

var development = args.Contains("--dev");
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args.Where(a => a != "--dev").ToArray(), ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariables("GENCLUSTER_");
builder.Configuration.AddCommandLine(args.Where(a => a != "--dev").ToArray(), SiloHostSettings.Switches.ToDictionary());

SiloHostSettings settings;
try
{
    settings = SiloHostSettings.From(builder.Configuration, development);
    GrainAssemblyLoader.Load(settings.GrainAssemblies);
}
catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or BadImageFormatException)
{
    Console.Error.WriteLine($"gencluster-silo: {e.Message}");
    return 2;
}

builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(settings.Endpoint.Address, settings.HealthPort));
if (settings.MembershipProvider == "file")
{
    builder.Services.AddSingleton<IMembershipTable>(provider => new FileMembershipTable(
        settings.MembershipPath!, provider.GetRequiredService<ILogger<FileMembershipTable>>(), provider.GetRequiredService<TimeProvider>()));
}

AzureBlobProviders.Add(builder.Services, builder.Configuration, settings);

// Transport limits and timeouts (MaxFrameSize, HandshakeTimeout, ...) from the "Transport" section; bound first, so
// the cluster id and secret always come from the silo's own settings below.
builder.Services.Configure<TransportOptions>(builder.Configuration.GetSection("Transport"));
builder.Services.AddGenClusterSilo(silo =>
{
    silo.SiloName = settings.Name;
    silo.ClusterId = settings.ClusterId;
    silo.ClusterSecret = settings.ClusterSecret;
    silo.ListenEndpoint = settings.Endpoint;
    silo.Devices = settings.Devices.ToList();
});
builder.Services.Configure<MembershipOptions>(builder.Configuration.GetSection("Membership"));
builder.Services.AddTrainingGrains();
builder.Services.Configure<TrainingGrainOptions>(builder.Configuration.GetSection("Training"));
if (settings.StorageProvider == "file")
{
    builder.Services.AddFileGrainStorage(settings.StorageDirectory!);
}
else if (settings.StorageProvider == "memory")
{
    builder.Services.AddMemoryGrainStorage();
}

// Checkpoints: one object store shared by every silo (the coordinator, shards and re-activation scan use it); the
// azure store is registered with the other blob providers above.
if (settings.CheckpointProvider == "file")
{
    builder.Services.AddSingleton<IObjectStore>(provider => new FileSystemObjectStore(
        settings.CheckpointDirectory!, provider.GetRequiredService<ILogger<FileSystemObjectStore>>(), provider.GetRequiredService<TimeProvider>()));
}

var app = builder.Build();
var siloHost = app.Services.GetRequiredService<SiloHost>();
app.MapGet("/health", () =>
{
    var health = siloHost.GetHealth();
    return Results.Json(health, statusCode: health.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
});

// A silo found dead by the cluster must stop (DESIGN §4); the runtime raises it through the host lifetime.
await app.StartAsync();
var healthUrl = app.Urls.FirstOrDefault() ?? "(none)";
Console.WriteLine(JsonSerializer.Serialize(new
{
    ready = true,
    silo = settings.Name,
    address = siloHost.Address?.ToString(),
    health = healthUrl + "/health",
    development,
}));
await app.WaitForShutdownAsync();

// A silo the cluster declared dead (unreachable, or unable to authenticate to its peers) stopped
// against its will: say so and exit non-zero so a supervisor restarts it as a new generation.
if (siloHost.Status == SiloLifecycleStatus.Dead)
{
    Console.Error.WriteLine($"gencluster-silo: silo '{settings.Name}' was declared dead by the cluster (its peers could not reach or authenticate it) and stopped");
    return 3;
}

return 0;
