using GenCluster.Contracts.Experiments;

namespace GenCluster.Contracts.Tests.Experiments.Support;

internal static class SpecAssertions
{
    /// <summary>Loads <paramref name="text"/>, expecting it to be rejected; returns the errors.</summary>
    public static IReadOnlyList<SpecError> Rejected(string text, ExperimentSpecFormat format)
    {
        var load = () => ExperimentSpecLoader.Load(text, format);
        return load.Should().Throw<ExperimentSpecException>().Which.Errors;
    }
}
