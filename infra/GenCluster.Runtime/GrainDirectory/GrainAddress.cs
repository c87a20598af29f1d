namespace GenCluster.Runtime.GrainDirectory;

/// <summary>Where one activation of a grain lives: the silo and the activation's id there.</summary>
/// <param name="GrainId">The grain.</param>
/// <param name="Silo">The silo hosting the activation.</param>
/// <param name="ActivationId">Distinguishes successive activations of the grain on that silo.</param>
internal sealed record GrainAddress(GrainId GrainId, SiloAddress Silo, long ActivationId)
{
    /// <inheritdoc />
    public override string ToString() => $"{GrainId}@{Silo}#{ActivationId}";
}
