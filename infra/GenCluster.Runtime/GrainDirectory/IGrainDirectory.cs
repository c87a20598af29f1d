namespace GenCluster.Runtime.GrainDirectory;

/// <summary>The cluster-wide map from grain id to its single activation.</summary>
internal interface IGrainDirectory
{
    /// <summary>The registered activation of <paramref name="grainId"/>, or null.</summary>
    Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>
    /// Registers <paramref name="address"/> unless another live activation is registered already (first writer wins).
    /// </summary>
    /// <returns>The registered activation: <paramref name="address"/> when it won, the earlier one otherwise.</returns>
    Task<GrainAddress> RegisterAsync(GrainAddress address, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="address"/> if it is still the registered activation.</summary>
    Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken);
}
