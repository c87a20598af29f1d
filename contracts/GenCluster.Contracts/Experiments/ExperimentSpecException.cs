using System.Globalization;
using System.Text;

namespace GenCluster.Contracts.Experiments;

/// <summary>
/// A spec could not be read or is invalid. <see cref="Errors"/> lists every problem found, each with the path of the
/// field and, for specs read from text, its line and column; syntax errors stop reading, so they come alone.
/// </summary>
public sealed class ExperimentSpecException : Exception
{
    /// <summary>Creates the exception from at least one error.</summary>
    public ExperimentSpecException(IReadOnlyList<SpecError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception from one error.</summary>
    public ExperimentSpecException(SpecError error)
        : this([error])
    {
    }

    /// <summary>Every problem, in document order where known.</summary>
    public IReadOnlyList<SpecError> Errors { get; }

    private static string Describe(IReadOnlyList<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("an invalid spec has at least one error", nameof(errors));
        }

        if (errors.Count == 1)
        {
            return "invalid experiment spec: " + errors[0];
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"invalid experiment spec ({errors.Count} errors):");
        foreach (var error in errors)
        {
            text.Append("\n  ").Append(error);
        }

        return text.ToString();
    }
}
