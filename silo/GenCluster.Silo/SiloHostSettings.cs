using System.Net;
using GenCluster.Contracts.Training;
using Microsoft.Extensions.Configuration;

namespace GenCluster.Silo;

/// <summary>
/// The silo's configuration, merged from appsettings.json, <c>GENCLUSTER_</c> environment variables
/// (<c>GENCLUSTER_Silo__Port=30001</c>) and the command line (<c>--port 30001</c> or <c>--Silo:Port=30001</c>).
/// </summary>
internal sealed record SiloHostSettings
{
    /// <summary>Short command-line switches and the configuration keys they set.</summary>
    public static readonly IReadOnlyDictionary<string, string> Switches = new Dictionary<string, string>
    {
        ["--name"] = "Silo:Name",
        ["--cluster-id"] = "Silo:ClusterId",
        ["--secret"] = "Silo:ClusterSecret",
        ["--host"] = "Silo:Host",
        ["--port"] = "Silo:Port",
        ["--membership-file"] = "Membership:Path",
        ["--storage-dir"] = "Storage:Directory",
        ["--health-port"] = "Health:Port",
        ["--grain-assembly"] = "GrainAssemblies:0",
        ["--devices"] = "Silo:DeviceList",
        ["--checkpoint-dir"] = "Checkpoints:Directory",
    };

    public required string Name { get; init; }

    public required string ClusterId { get; init; }

    public required string? ClusterSecret { get; init; }

    public required IPEndPoint Endpoint { get; init; }

    public required IReadOnlyList<string> Devices { get; init; }

    public required string MembershipProvider { get; init; }

    public required string? MembershipPath { get; init; }

    public required string StorageProvider { get; init; }

    public required string? StorageDirectory { get; init; }

    /// <summary>Where checkpoints go: <c>none</c>, <c>file</c> (<see cref="CheckpointDirectory"/>) or <c>azure</c> (the shared <c>Azure</c> connection, <c>Checkpoints:Azure</c> for the container and transfers).</summary>
    public required string CheckpointProvider { get; init; }

    /// <summary>The folder of the <c>file</c> checkpoint store, shared by every silo of the cluster.</summary>
    public required string? CheckpointDirectory { get; init; }

    public required int HealthPort { get; init; }

    public required IReadOnlyList<string> GrainAssemblies { get; init; }

    /// <summary>Reads and validates the settings; every problem is reported with its configuration key.</summary>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static SiloHostSettings From(IConfiguration configuration, bool development)
    {
        var errors = new List<string>();
        var host = configuration["Silo:Host"] ?? "127.0.0.1";
        if (!IPAddress.TryParse(host, out var address))
        {
            errors.Add($"Silo:Host: '{host}' is not an IP address");
        }

        var port = ReadInt(configuration, "Silo:Port", 11111, 0, 65535, errors);
        var healthPort = ReadInt(configuration, "Health:Port", 0, 0, 65535, errors);
        var secret = configuration["Silo:ClusterSecret"];
        if (string.IsNullOrEmpty(secret))
        {
            if (development)
            {
                secret = "gencluster-dev-secret";
            }
            else
            {
                errors.Add("Silo:ClusterSecret: required (set --secret, GENCLUSTER_Silo__ClusterSecret, or use --dev)");
            }
        }

        // Providers default to "file" when a path is given, else "memory"; --dev forces memory.
        var membershipPath = configuration["Membership:Path"];
        var membership = development ? "memory" : (configuration["Membership:Provider"] ?? (membershipPath is null ? "memory" : "file")).ToLowerInvariant();

        if (membership is not ("memory" or "file" or AzureBlobProviders.Name))
        {
            errors.Add($"Membership:Provider: '{membership}' is not one of memory, file, azure");
        }
        else if (membership == "file" && string.IsNullOrEmpty(membershipPath))
        {
            errors.Add("Membership:Path: required for the file membership table (--membership-file)");
        }

        var storageDirectory = configuration["Storage:Directory"];
        var storage = development ? "memory" : (configuration["Storage:Provider"] ?? (storageDirectory is null ? "memory" : "file")).ToLowerInvariant();
        if (storage is not ("memory" or "file" or AzureBlobProviders.Name))
        {
            errors.Add($"Storage:Provider: '{storage}' is not one of memory, file, azure");
        }
        else if (storage == "file" && string.IsNullOrEmpty(storageDirectory))
        {
            errors.Add("Storage:Directory: required for file grain storage (--storage-dir)");
        }

        // Checkpoints default to "file" when a folder is given, else none (experiments asking for them are refused).
        var checkpointDirectory = configuration["Checkpoints:Directory"];
        var checkpoints = (configuration["Checkpoints:Provider"] ?? (checkpointDirectory is null ? "none" : "file")).ToLowerInvariant();
        if (checkpoints is not ("none" or "file" or "azure"))
        {
            errors.Add($"Checkpoints:Provider: '{checkpoints}' is not one of none, file, azure");
        }
        else if (checkpoints == "file" && string.IsNullOrEmpty(checkpointDirectory))
        {
            errors.Add("Checkpoints:Directory: required for the file checkpoint store (--checkpoint-dir)");
        }

        // --devices cpu:0,cpu:1 replaces the Silo:Devices list of appsettings.json.
        var deviceList = configuration["Silo:DeviceList"];
        var devices = deviceList is not null
            ? deviceList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : configuration.GetSection("Silo:Devices").Get<string[]>() ?? ["cpu:0"];
        foreach (var device in devices.Where(d => !DeviceAddress.IsDeviceName(d)))
        {
            errors.Add($"Silo:Devices: '{device}' is not a device; expected cpu:N or cuda:N");
        }

        if (devices.Distinct(StringComparer.Ordinal).Count() != devices.Length)
        {
            errors.Add($"Silo:Devices: [{string.Join(", ", devices)}] names a device twice");
        }

        AzureBlobProviders.Validate(configuration, membership, storage, checkpoints, errors);

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("invalid silo configuration:\n  " + string.Join("\n  ", errors));
        }

        return new SiloHostSettings
        {
            Name = configuration["Silo:Name"] ?? "silo",
            ClusterId = configuration["Silo:ClusterId"] ?? "dev",
            ClusterSecret = secret,
            Endpoint = new IPEndPoint(address!, port),
            Devices = devices,
            MembershipProvider = membership,
            MembershipPath = membershipPath,
            StorageProvider = storage,
            StorageDirectory = storageDirectory,
            CheckpointProvider = checkpoints,
            CheckpointDirectory = checkpointDirectory,
            HealthPort = healthPort,
            GrainAssemblies = configuration.GetSection("GrainAssemblies").Get<string[]>() ?? [],
        };
    }

    private static int ReadInt(IConfiguration configuration, string key, int fallback, int min, int max, List<string> errors)
    {
        var text = configuration[key];
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors.Add($"{key}: '{text}' is not a whole number in {min}..{max}");
            return fallback;
        }

        return value;
    }
}
