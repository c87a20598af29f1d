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
        AzureBlobConnectionOptionsValidator.AddErrors(options, "ObjectStore:Azure", errors);
        AddStoreErrors(options, "ObjectStore:Azure", errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Adds what is wrong with the store's own settings (not the connection), read from <paramref name="section"/>.</summary>
    public static void AddStoreErrors(AzureBlobObjectStoreOptions options, string section, List<string> errors)
    {
        AzureBlobConnectionOptionsValidator.AddContainerErrors(options.ContainerName, $"{section}:ContainerName", errors);
        if (options.BlockSize is < 64 * 1024 or > MaxBlockSize)
        {
            errors.Add($"{section}:BlockSize must be between 64 KiB and 1 GiB");
        }

        if (options.MaxParallelBlocks is < 1 or > 64)
        {
            errors.Add($"{section}:MaxParallelBlocks must be between 1 and 64");
        }
    }
}
