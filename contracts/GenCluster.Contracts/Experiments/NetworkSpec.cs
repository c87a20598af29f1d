using GenCluster.Runtime;

namespace GenCluster.Contracts.Experiments;

/// <summary>
/// Sizes of one network of the pair. Each family uses some members and requires the others to be absent, so a
/// setting meant for another family is reported instead of ignored; a new family adds the members it needs
/// under new ids, which older readers skip.
/// </summary>
/// <param name="FeatureMaps">Base feature maps of a convolutional network (<c>ngf</c>/<c>ndf</c>); <c>dcgan</c>.</param>
/// <param name="Widths">Hidden layer widths of a fully connected network, input side first; <c>mlp-gan</c>.</param>
[GenerateSerializer]
public sealed record NetworkSpec([Id(0)] int? FeatureMaps, [Id(1)] ValueList<int>? Widths)
{
    /// <summary>No sizes set: the family fills in its defaults when a spec is read.</summary>
    public static NetworkSpec Empty { get; } = new(null, null);

    /// <summary>A convolutional network with <paramref name="featureMaps"/> base feature maps.</summary>
    public static NetworkSpec WithFeatureMaps(int featureMaps) => new(featureMaps, null);

    /// <summary>A fully connected network with the given hidden layer widths.</summary>
    public static NetworkSpec WithWidths(params ReadOnlySpan<int> widths) => new(null, ValueList.Create(widths));
}
