using System.Collections;
using System.Runtime.CompilerServices;
using GenCluster.Runtime;

namespace GenCluster.Contracts.Experiments;

/// <summary>
/// An immutable list compared by its items, so records holding one keep value equality (arrays and
/// <see cref="List{T}"/> compare by reference). Supports collection expressions: <c>ValueList&lt;int&gt; w = [256, 512];</c>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
[GenerateSerializer]
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    /// <summary>Copies <paramref name="items"/>; null reads as empty, so hostile wire input cannot plant a null.</summary>
    public ValueList([Id(0)] T[]? items)
    {
        Items = items is null || items.Length == 0 ? [] : (T[])items.Clone();
    }

    /// <summary>The empty list.</summary>
    public static ValueList<T> Empty { get; } = new([]);

    /// <summary>The items; never exposed mutably outside this assembly.</summary>
    internal T[] Items { get; }

    /// <inheritdoc />
    public int Count => Items.Length;

    /// <inheritdoc />
    public T this[int index] => Items[index];

    /// <inheritdoc />
    public bool Equals(ValueList<T>? other)
    {
        if (other is null)
        {
            return false;
        }

        return ReferenceEquals(this, other) || Items.AsSpan().SequenceEqual(other.Items, EqualityComparer<T>.Default);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <summary>The items in brackets, e.g. <c>[256, 512]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", Items) + "]";

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Builds <see cref="ValueList{T}"/>s (also the target of collection expressions).</summary>
public static class ValueList
{
    /// <summary>A list holding a copy of <paramref name="items"/>.</summary>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => items.IsEmpty ? ValueList<T>.Empty : new ValueList<T>(items.ToArray());
}
