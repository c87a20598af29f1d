namespace GenCluster.Runtime.Invocation;

/// <summary>How a grain method is called; instances are generated once per method.</summary>
/// <param name="InterfaceId">Stable id of the grain interface (FNV-1a of its alias or full name).</param>
/// <param name="MethodId">Stable id of the method within the interface (FNV-1a of its alias or signature).</param>
/// <param name="Name">Interface and method name, for errors, logs and traces.</param>
/// <param name="AlwaysInterleave">Runs even while another request of the grain is in progress.</param>
/// <param name="OneWay">The caller does not wait for a response.</param>
/// <param name="Streaming">Returns <see cref="IAsyncEnumerable{T}"/>: results arrive as a stream of items.</param>
public sealed record GrainMethod(uint InterfaceId, uint MethodId, string Name, bool AlwaysInterleave = false, bool OneWay = false, bool Streaming = false);
