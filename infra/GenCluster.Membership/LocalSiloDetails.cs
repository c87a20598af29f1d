using GenCluster.Runtime;

namespace GenCluster.Membership;

/// <summary>Who this silo is: what the membership agent writes into its own row.</summary>
/// <param name="Address">The silo's address; its generation distinguishes this process from earlier ones on the same endpoint.</param>
/// <param name="Name">A human-readable name (host name, pod name).</param>
/// <param name="Properties">What the silo offers to the cluster, e.g. <c>"devices"</c> and <c>"gateway"</c>.</param>
public sealed record LocalSiloDetails(SiloAddress Address, string Name, IReadOnlyDictionary<string, string> Properties);
