using GenCluster.Runtime;

namespace GenCluster.CodeGen.SampleContracts;

/// <summary>A contract type whose serializer is generated in this assembly.</summary>
[GenerateSerializer]
public sealed record RemoteReading([Id(0)] string Sensor, [Id(1)] double Value);
