using GenCluster.Runtime;

namespace GenCluster.CodeGen.Tests.Contracts;

// Two versions of one contract, as an old and a new peer would each have it.

/// <summary>The old version.</summary>
[GenerateSerializer]
public sealed class OrderV1
{
    [Id(0)]
    public int Quantity { get; set; }

    [Id(1)]
    public string Product { get; set; } = "unnamed";
}

/// <summary>The new version: one member added.</summary>
[GenerateSerializer]
public sealed class OrderV2
{
    [Id(0)]
    public int Quantity { get; set; }

    [Id(1)]
    public string Product { get; set; } = "unnamed";

    [Id(2)]
    public double Discount { get; set; } = 0.25;

    [Id(3)]
    public List<Point> Deliveries { get; set; } = [];
}

/// <summary>The new version as a positional record: the added parameter has a default.</summary>
[GenerateSerializer]
public sealed record OrderRecordV2([Id(0)] int Quantity, [Id(1)] string Product, [Id(2)] int Priority = 5);

/// <summary>The new version with an init-only member: a missing id keeps the initializer's value.</summary>
[GenerateSerializer]
public sealed record OrderInitV2
{
    [Id(0)]
    public int Quantity { get; init; }

    [Id(2)]
    public string Channel { get; init; } = "web";
}
