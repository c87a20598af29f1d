namespace GenCluster.Contracts.Experiments.Documents;

/// <summary>The type a scalar resolved to (YAML 1.2 core schema; JSON's types).</summary>
internal enum ScalarKind
{
    Null,
    Bool,
    Int,
    Float,
    String,
}
