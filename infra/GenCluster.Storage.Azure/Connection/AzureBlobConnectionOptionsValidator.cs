using Microsoft.Extensions.Options;

namespace GenCluster.Storage.Azure;

/// <summary>Refuses connection settings no client can be built from, naming the configuration key to fix.</summary>
internal sealed class AzureBlobConnectionOptionsValidator : IValidateOptions<AzureBlobConnectionOptions>
{
    /// <summary>The configuration section the connection is read from in a silo.</summary>
    public const string SectionName = "Azure";

    public ValidateOptionsResult Validate(string? name, AzureBlobConnectionOptions options)
    {
        var errors = new List<string>();
        AddErrors(options, SectionName, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Adds what is wrong with <paramref name="options"/>, read from <paramref name="section"/>, to <paramref name="errors"/>.</summary>
    public static void AddErrors(AzureBlobConnectionOptions options, string section, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString) && options.ServiceUri is null)
        {
            errors.Add($"{section} needs ConnectionString or ServiceUri");
        }

        if (options.ServiceUri is { IsAbsoluteUri: false })
        {
            errors.Add($"{section}:ServiceUri must be an absolute URI");
        }

        if (options.MaxRetries < 0 || options.NetworkTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{section}:MaxRetries must be >= 0 and NetworkTimeout positive");
        }
    }

    /// <summary>Adds an error to <paramref name="errors"/> unless <paramref name="container"/> is a valid container name.</summary>
    public static void AddContainerErrors(string? container, string key, List<string> errors)
    {
        container ??= string.Empty;
        if (container.Length is < 3 or > 63 || container.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            || container.StartsWith('-') || container.EndsWith('-') || container.Contains("--", StringComparison.Ordinal))
        {
            errors.Add($"{key} '{container}' is not a valid container name (3-63 of [a-z0-9-], no leading, trailing or double dash)");
        }
    }
}
