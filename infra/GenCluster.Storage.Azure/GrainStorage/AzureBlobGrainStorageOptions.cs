namespace GenCluster.Storage.Azure;

/// <summary>
/// Where an <see cref="AzureBlobGrainStorage"/> keeps grain states; how it reaches the account is the shared
/// <see cref="AzureBlobConnectionOptions"/>.
/// </summary>
public sealed class AzureBlobGrainStorageOptions
{
    /// <summary>The container holding the states (3–63 lower-case letters, digits and dashes). Default <c>gencluster</c>.</summary>
    public string ContainerName { get; set; } = "gencluster";

    /// <summary>Create the container on the first write when it is missing (turn off when it is provisioned).</summary>
    public bool CreateContainer { get; set; } = true;

    /// <summary>Put before every state's blob name, e.g. <c>CLUSTER/grains/</c>; empty or ending with <c>/</c>. Default <c>grains/</c>.</summary>
    public string Prefix { get; set; } = "grains/";
}
