using System.Globalization;

namespace GenCluster.Datasets.Tests;

/// <summary>Checks the loader against the files of the Debian package <c>dataset-fashion-mnist</c>.</summary>
public sealed class FashionMnistRealDataTests(FashionMnistFixture data) : IClassFixture<FashionMnistFixture>
{
    private const string ReadWithPython = """
        import gzip, struct, sys
        root, split = sys.argv[1], sys.argv[2]
        with gzip.open(f"{root}/{split}-labels-idx1-ubyte.gz", "rb") as f:
            magic, n = struct.unpack(">II", f.read(8))
            labels = f.read(n)
        with gzip.open(f"{root}/{split}-images-idx3-ubyte.gz", "rb") as f:
            magic_i, count, rows, cols = struct.unpack(">IIII", f.read(16))
            pixels = f.read()
        size = rows * cols
        print(magic, n, labels[0], labels[1], labels[n - 1])
        print(magic_i, count, rows, cols, len(pixels))
        print(pixels[0:size].hex())
        print(pixels[(count - 1) * size:count * size].hex())
        """;

    [Fact]
    public void Train_split_has_60000_images_of_1x28x28()
    {
        data.Train.Split.Should().Be(FashionMnistSplit.Train);
        data.Train.Count.Should().Be(60_000);
        data.Train.Images.Length.Should().Be(60_000 * 1 * 28 * 28);
        data.Train.Labels.Length.Should().Be(60_000);
        data.Train.GetImage(59_999).Length.Should().Be(FashionMnist.PixelsPerImage);
    }

    [Fact]
    public void Test_split_has_10000_images()
    {
        data.Test.Count.Should().Be(10_000);
        data.Test.Images.Length.Should().Be(10_000 * 784);
        data.Test.Labels.Length.Should().Be(10_000);
    }

    [Fact]
    public void Labels_are_0_to_9_and_balanced()
    {
        int[] trainCounts = CountClasses(data.Train);
        int[] testCounts = CountClasses(data.Test);

        trainCounts.Should().HaveCount(10).And.OnlyContain(c => c == 6_000);
        testCounts.Should().HaveCount(10).And.OnlyContain(c => c == 1_000);
    }

    [Theory]
    [InlineData(FashionMnistSplit.Train, "train")]
    [InlineData(FashionMnistSplit.Test, "t10k")]
    public void Labels_and_pixels_match_an_independent_python_reading(FashionMnistSplit split, string prefix)
    {
        FashionMnist set = split == FashionMnistSplit.Train ? data.Train : data.Test;

        string[] lines = PythonPeer.RunInline(ReadWithPython, FashionMnist.DefaultDirectory, prefix);

        long[] labelLine = lines[0].Split(' ').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        long[] imageLine = lines[1].Split(' ').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        labelLine[0].Should().Be(0x801);
        labelLine[1].Should().Be(set.Count);
        set.GetLabel(0).Should().Be((int)labelLine[2]);
        set.GetLabel(1).Should().Be((int)labelLine[3]);
        set.GetLabel(set.Count - 1).Should().Be((int)labelLine[4]);
        imageLine.Should().Equal(0x803, set.Count, 28, 28, (long)set.Count * 784);

        ExpectImage(set.GetImage(0), Convert.FromHexString(lines[2]));
        ExpectImage(set.GetImage(set.Count - 1), Convert.FromHexString(lines[3]));
    }

    [Fact]
    public void Pixels_are_normalised_to_exactly_minus_one_to_one()
    {
        ReadOnlySpan<float> images = data.Train.Images.Span;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float x in images)
        {
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }

        min.Should().Be(-1f);
        max.Should().Be(1f);
        FashionMnist.Normalise(0).Should().Be(-1f);
        FashionMnist.Normalise(255).Should().Be(1f);
        FashionMnist.Normalise(51).Should().Be((float)((51 / 127.5) - 1));
    }

    [Fact]
    public void CopyBatch_gathers_images_and_labels_into_caller_buffers_without_allocating()
    {
        int[] indices = [17, 0, 59_999, 17];
        var images = new float[(indices.Length + 1) * FashionMnist.PixelsPerImage];
        images.AsSpan(indices.Length * FashionMnist.PixelsPerImage).Fill(42f);
        var labels = new long[indices.Length];
        data.Train.CopyBatch(indices, images, labels); // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        data.Train.CopyBatch(indices, images, labels);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        for (int k = 0; k < indices.Length; k++)
        {
            images.AsSpan(k * 784, 784).SequenceEqual(data.Train.GetImage(indices[k])).Should().BeTrue($"batch entry {k}");
            labels[k].Should().Be(data.Train.GetLabel(indices[k]));
        }

        images.AsSpan(indices.Length * 784).ToArray().Should().OnlyContain(x => x == 42f, "the rest of the buffer is untouched");
    }

    [Fact]
    public void CopyBatch_rejects_short_buffers_and_bad_indices_before_writing()
    {
        var images = new float[2 * 784];
        var labels = new long[2];

        FluentActions.Invoking(() => data.Train.CopyBatch([1, 2], new float[784], labels)).Should().Throw<ArgumentException>().WithParameterName("images");
        FluentActions.Invoking(() => data.Train.CopyBatch([1, 2], images, new long[1])).Should().Throw<ArgumentException>().WithParameterName("labels");
        FluentActions.Invoking(() => data.Train.CopyBatch([1, 60_000], images, labels)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => data.Train.CopyBatch([-1, 0], images, labels)).Should().Throw<ArgumentOutOfRangeException>();
        images.Should().OnlyContain(x => x == 0f);
        labels.Should().OnlyContain(x => x == 0);
    }

    private static int[] CountClasses(FashionMnist set)
    {
        var counts = new int[FashionMnist.ClassCount];
        foreach (byte label in set.Labels.Span)
        {
            label.Should().BeLessThan(10);
            counts[label]++;
        }

        return counts;
    }

    private static void ExpectImage(ReadOnlySpan<float> actual, byte[] rawPixels)
    {
        rawPixels.Should().HaveCount(784);
        float[] expected = rawPixels.Select(p => (float)((p / 127.5) - 1.0)).ToArray();
        actual.ToArray().Should().Equal(expected);
        rawPixels.Should().Contain(p => p > 0, "a real image is not all black");
    }
}
