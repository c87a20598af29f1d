namespace GenCluster.Contracts.Experiments;

/// <summary>The datasets a spec may name, with what the validator checks against: image shape and split sizes.</summary>
internal static class DatasetCatalog
{
    /// <summary>Every known dataset.</summary>
    public static IReadOnlyList<Entry> All { get; } =
    [
        // Zalando's Fashion-MNIST, as the Debian package dataset-fashion-mnist ships it (gzipped IDX files).
        new Entry("fashion-mnist", ImageSize: 28, Channels: 1, TrainImages: 60_000, TestImages: 10_000),
    ];

    public static IEnumerable<string> Names => All.Select(e => e.Name);

    public static Entry? Find(string? name) => All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    /// <summary>A dataset's shape and size.</summary>
    internal sealed record Entry(string Name, int ImageSize, int Channels, int TrainImages, int TestImages)
    {
        public int ImagesIn(DatasetSplit split) => split == DatasetSplit.Test ? TestImages : TrainImages;
    }
}
