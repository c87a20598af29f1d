using GenCluster.Runtime;

namespace GenCluster.CodeGen.Tests.Contracts;

/// <summary>A positional record whose ids are on the generated properties.</summary>
[GenerateSerializer]
public sealed record Point([property: Id(0)] int X, [property: Id(1)] int Y);

/// <summary>A positional record whose ids are on the constructor parameters, one with a default value.</summary>
[GenerateSerializer]
public sealed record Sample([Id(0)] string Label, [Id(1)] float[] Values, [Id(2)] int Weight = 7);

/// <summary>A positional record struct.</summary>
[GenerateSerializer]
public readonly record struct Coordinates([Id(0)] double Latitude, [Id(1)] double Longitude);

/// <summary>A struct with fields.</summary>
[GenerateSerializer]
public struct Tally
{
    [Id(0)]
    public int Count;

    [Id(1)]
    public string? Label;
}

/// <summary>Init-only members with initializers, and a required member.</summary>
[GenerateSerializer]
public sealed record Settings
{
    [Id(0)]
    public int Retries { get; init; } = 3;

    [Id(1)]
    public string Mode { get; init; } = "fast";

    [Id(2)]
    public required string Owner { get; init; }

    [Id(3)]
    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(30);

    public Settings WithTimeout(TimeSpan timeout) => this with { Timeout = timeout };
}

/// <summary>A self-referencing type.</summary>
[GenerateSerializer]
public sealed class Node
{
    [Id(0)]
    public int Value { get; set; }

    [Id(1)]
    public Node? Next { get; set; }
}

/// <summary>A generic type.</summary>
[GenerateSerializer]
public sealed class Envelope<T>
{
    [Id(0)]
    public T? Payload { get; set; }

    [Id(1)]
    public string Kind { get; set; } = string.Empty;
}

/// <summary>A base class whose members travel with its derived classes.</summary>
[GenerateSerializer]
public class Animal
{
    [Id(0)]
    public string Name { get; set; } = string.Empty;
}

/// <summary>A derived class adding a member.</summary>
[GenerateSerializer]
public sealed class Dog : Animal
{
    [Id(1)]
    public int Barks { get; set; }

    [field: NonSerialized]
    public int CachedHash { get; set; }
}

/// <summary>A class whose constructor takes [Id] parameters and that also has a settable [Id] member.</summary>
[GenerateSerializer]
public sealed class Account
{
    public Account([Id(0)] string owner, [Id(1)] decimal balance)
    {
        Owner = owner;
        Balance = balance;
    }

    public string Owner { get; }

    public decimal Balance { get; }

    [Id(2)]
    public string Currency { get; set; } = "EUR";
}

/// <summary>A member named like a C# keyword.</summary>
[GenerateSerializer]
public sealed class Keywords
{
    [Id(0)]
    public int @class { get; set; }

    [Id(1)]
    public string? @event;
}
