using Microsoft.Extensions.Options;

namespace GenCluster.Storage.Azure;

/// <summary>Refuses options an <see cref="AzureBlobObjectStore"/> cannot work with, naming the key to fix.</summary>
internal sealed class AzureBlobObjectStoreOptionsValidator : IValidateOptions<AzureBlobObjectStoreOptions>
{
    /// <summary>The service takes blocks up to 4000 MiB; each parallel upload holds one in memory, so 1 GiB is plenty.</summary>
    private const int MaxBlockSize = 1 << 30;

    public ValidateOptionsResult Validate(string? name, AzureBlobObjectStoreOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString) && options.ServiceUri is null)
        {
            errors.Add("ObjectStore:Azure needs ConnectionString or ServiceUri");
        }

        if (options.ServiceUri is { IsAbsoluteUri: false })
        {
            errors.Add("ObjectStore:Azure:ServiceUri must be an absolute URI");
        }

        var container = options.ContainerName ?? string.Empty;
        if (container.Length is < 3 or > 63 || container.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            || container.StartsWith('-') || container.EndsWith('-') || container.Contains("--", StringComparison.Ordinal))
        {
            errors.Add($"ObjectStore:Azure:ContainerName '{container}' is not a valid container name (3-63 of [a-z0-9-], no leading, trailing or double dash)");
        }

        if (options.BlockSize is < 64 * 1024 or > MaxBlockSize)
        {
            errors.Add("ObjectStore:Azure:BlockSize must be between 64 KiB and 1 GiB");
        }

        if (options.MaxParallelBlocks is < 1 or > 64)
        {
            errors.Add("ObjectStore:Azure:MaxParallelBlocks must be between 1 and 64");
        }

        if (options.MaxRetries < 0 || options.NetworkTimeout <= TimeSpan.Zero)
        {
            errors.Add("ObjectStore:Azure:MaxRetries must be >= 0 and NetworkTimeout positive");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
