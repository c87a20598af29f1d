using GenCluster.Runtime;

namespace GenCluster.Contracts.Experiments;

/// <summary>
/// The training data, named so that every silo can find it on its own disk. <see cref="Location"/> takes two forms:
/// <list type="bullet">
/// <item><description><c>debian:NAME</c>: the directory <c>/usr/share/datasets/NAME</c> that the Debian package
/// <c>dataset-NAME</c> installs on every node (<c>debian:fashion-mnist</c>).</description></item>
/// <item><description>An absolute directory, e.g. <c>/mnt/data/fashion-mnist</c>, that every silo must have
/// (a shared volume or an identical copy). Relative paths are refused: silos have different working directories.</description></item>
/// </list>
/// </summary>
/// <param name="Name">What the files hold, which fixes their format and image shape: <c>fashion-mnist</c>.</param>
/// <param name="Location">Where every silo finds the files: <c>debian:NAME</c> or an absolute directory.</param>
/// <param name="Split">The split to train on.</param>
[GenerateSerializer]
public sealed record DatasetSpec([Id(0)] string Name, [Id(1)] string Location, [Id(2)] DatasetSplit Split)
{
    /// <summary>The prefix of locations installed by Debian packages.</summary>
    public const string DebianPrefix = "debian:";

    /// <summary>Where Debian's dataset packages install their files.</summary>
    public const string DebianDatasetRoot = "/usr/share/datasets";

    /// <summary>Fashion-MNIST from the Debian package, training split.</summary>
    public static DatasetSpec Default { get; } = new(
        ExperimentSpecDefaults.DatasetName, ExperimentSpecDefaults.DatasetLocation, ExperimentSpecDefaults.DatasetSplit);

    /// <summary>The directory on this silo that holds the files: <c>/usr/share/datasets/NAME</c> for <c>debian:NAME</c>, else <see cref="Location"/>.</summary>
    /// <exception cref="InvalidOperationException">The location is not valid (see <see cref="ExperimentSpecValidator"/>).</exception>
    public string ResolveDirectory()
    {
        if (FindLocationProblem(Location) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        return Location.StartsWith(DebianPrefix, StringComparison.Ordinal)
            ? DebianDatasetRoot + "/" + Location[DebianPrefix.Length..]
            : Location;
    }

    /// <summary>Why <paramref name="location"/> is not a dataset location, or null when it is one.</summary>
    internal static string? FindLocationProblem(string? location)
    {
        if (string.IsNullOrEmpty(location))
        {
            return "must be debian:NAME (e.g. debian:fashion-mnist) or an absolute directory every silo has";
        }

        if (location.Length > ExperimentSpecLimits.MaxLocationLength)
        {
            return $"is {location.Length:N0} characters long; at most {ExperimentSpecLimits.MaxLocationLength:N0} are allowed";
        }

        foreach (char c in location)
        {
            if (char.IsControl(c))
            {
                return $"contains the control character U+{(int)c:X4}";
            }
        }

        if (location.StartsWith(DebianPrefix, StringComparison.Ordinal))
        {
            string package = location[DebianPrefix.Length..];
            bool valid = package.Length is > 0 and <= 64 && (char.IsAsciiLetterLower(package[0]) || char.IsAsciiDigit(package[0]));
            foreach (char c in package)
            {
                valid &= char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or '+';
            }

            return valid
                ? null
                : $"'{location}': after debian: comes a directory name under {DebianDatasetRoot} (lower-case letters, digits, '-', '.', '+'), e.g. debian:fashion-mnist";
        }

        if (location[0] != '/')
        {
            return $"'{location}' is neither debian:NAME nor an absolute directory; relative paths are refused because every silo resolves them against its own working directory";
        }

        foreach (var segment in location.Split('/'))
        {
            if (segment is "." or "..")
            {
                return $"'{location}' contains a '{segment}' segment; write the directory without '.' or '..'";
            }
        }

        return null;
    }
}
