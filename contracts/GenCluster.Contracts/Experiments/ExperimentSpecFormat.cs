namespace GenCluster.Contracts.Experiments;

/// <summary>The text format of a spec.</summary>
public enum ExperimentSpecFormat
{
    /// <summary>YAML, in the subset docs/EXPERIMENT-SPEC.md describes (<c>.yaml</c>, <c>.yml</c>).</summary>
    Yaml,

    /// <summary>Strict JSON (<c>.json</c>).</summary>
    Json,
}
