using GenCluster.Runtime;

namespace GenCluster.CodeGen.Tests.Contracts;

/// <summary>A class with settable properties, a collection and a nullable member.</summary>
[GenerateSerializer]
public sealed class Measurement
{
    [Id(0)]
    public string Name { get; set; } = string.Empty;

    [Id(1)]
    public double Value { get; set; }

    [Id(2)]
    public List<string> Tags { get; set; } = [];

    [Id(3)]
    public int? Optional { get; set; }

    [Id(4)]
    public Color Color { get; set; } = Color.Green;
}

/// <summary>An enum with a non-default underlying type.</summary>
[GenerateSerializer]
public enum Color : byte
{
    Red = 1,
    Green = 2,
    Blue = 3,
}
