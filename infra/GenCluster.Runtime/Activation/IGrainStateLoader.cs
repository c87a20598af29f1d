namespace GenCluster.Runtime.Activation;

/// <summary>A persistent state the runtime reads before <see cref="Grain.OnActivateAsync"/>.</summary>
internal interface IGrainStateLoader
{
    /// <summary>Reads the state from storage.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken);
}
