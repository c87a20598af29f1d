namespace GenCluster.Datasets.Tests;

/// <summary>Loader behaviour on small synthetic IDX files and missing ones.</summary>
public sealed class FashionMnistLoaderTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private void WriteSplit(string prefix, int imageCount, int labelCount, int rows = 28, int cols = 28, Func<int, byte>? label = null)
    {
        byte[] pixels = Enumerable.Range(0, imageCount * rows * cols).Select(i => (byte)(i % 256)).ToArray();
        byte[] labels = Enumerable.Range(0, labelCount).Select(i => label?.Invoke(i) ?? (byte)(i % 10)).ToArray();
        File.WriteAllBytes(_temp.File($"{prefix}-images-idx3-ubyte.gz"), IdxBytes.Gzip(IdxBytes.UnsignedBytes([imageCount, rows, cols], pixels)));
        File.WriteAllBytes(_temp.File($"{prefix}-labels-idx1-ubyte.gz"), IdxBytes.Gzip(IdxBytes.UnsignedBytes([labelCount], labels)));
    }

    [Fact]
    public void Loads_a_split_from_a_directory_given_to_the_constructor()
    {
        WriteSplit("t10k", imageCount: 3, labelCount: 3);

        var set = new FashionMnist(FashionMnistSplit.Test, _temp.Path);

        set.Directory.Should().Be(_temp.Path);
        set.Count.Should().Be(3);
        set.Images.Length.Should().Be(3 * 784);
        set.GetImage(1)[0].Should().Be(FashionMnist.Normalise((byte)(784 % 256)));
        set.GetImage(2)[783].Should().Be(FashionMnist.Normalise((byte)((3 * 784 - 1) % 256)));
        Enumerable.Range(0, 3).Select(set.GetLabel).Should().Equal(0, 1, 2);
    }

    [Fact]
    public void Environment_variable_overrides_the_default_directory_and_the_argument_overrides_both()
    {
        string? saved = Environment.GetEnvironmentVariable(FashionMnist.DirectoryEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(FashionMnist.DirectoryEnvironmentVariable, _temp.Path);
            FashionMnist.ResolveDirectory().Should().Be(_temp.Path);
            FashionMnist.ResolveDirectory("/elsewhere").Should().Be("/elsewhere");
            WriteSplit("train", imageCount: 2, labelCount: 2);
            new FashionMnist(FashionMnistSplit.Train).Count.Should().Be(2);

            Environment.SetEnvironmentVariable(FashionMnist.DirectoryEnvironmentVariable, null);
            FashionMnist.ResolveDirectory().Should().Be(FashionMnist.DefaultDirectory);
        }
        finally
        {
            Environment.SetEnvironmentVariable(FashionMnist.DirectoryEnvironmentVariable, saved);
        }
    }

    [Fact]
    public void Missing_files_say_which_package_to_install()
    {
        Action load = () => _ = new FashionMnist(FashionMnistSplit.Train, _temp.Path);

        load.Should().Throw<FileNotFoundException>()
            .WithMessage($"Fashion-MNIST file not found: {_temp.File("train-images-idx3-ubyte.gz")}*dataset-fashion-mnist*GENCLUSTER_FASHION_MNIST_DIR*");
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        WriteSplit("train", imageCount: 3, labelCount: 2);

        Action load = () => _ = new FashionMnist(FashionMnistSplit.Train, _temp.Path);

        load.Should().Throw<InvalidDataException>()
            .WithMessage($"{_temp.File("train-labels-idx1-ubyte.gz")}: 2 labels, but {_temp.File("train-images-idx3-ubyte.gz")} holds 3 images.");
    }

    [Fact]
    public void Images_must_be_28_by_28()
    {
        WriteSplit("train", imageCount: 2, labelCount: 2, rows: 32, cols: 32);

        Action load = () => _ = new FashionMnist(FashionMnistSplit.Train, _temp.Path);

        load.Should().Throw<InvalidDataException>().WithMessage("*expected 28×28 images, found 32×32.");
    }

    [Fact]
    public void Labels_outside_0_to_9_are_rejected()
    {
        WriteSplit("train", imageCount: 3, labelCount: 3, label: i => i == 2 ? (byte)12 : (byte)1);

        Action load = () => _ = new FashionMnist(FashionMnistSplit.Train, _temp.Path);

        load.Should().Throw<InvalidDataException>().WithMessage("*: label 12 at index 2 is outside 0..9.");
    }

    [Fact]
    public void Labels_file_with_image_magic_is_rejected()
    {
        WriteSplit("train", imageCount: 2, labelCount: 2);
        File.Copy(_temp.File("train-images-idx3-ubyte.gz"), _temp.File("train-labels-idx1-ubyte.gz"), overwrite: true);

        Action load = () => _ = new FashionMnist(FashionMnistSplit.Train, _temp.Path);

        load.Should().Throw<InvalidDataException>()
            .WithMessage("*train-labels-idx1-ubyte.gz: expected 1 dimension(s) (magic 0x00000801), the header has 3 (magic 0x00000803).");
    }

    [Fact]
    public void Class_names_follow_the_label_order()
    {
        FashionMnist.ClassNames.Should().Equal(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
        FashionMnist.ClassCount.Should().Be(FashionMnist.ClassNames.Count);
    }

    [Fact]
    public void File_names_of_the_splits()
    {
        FashionMnist.FileNames(FashionMnistSplit.Train).Should().Be(("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"));
        FashionMnist.FileNames(FashionMnistSplit.Test).Should().Be(("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"));
    }
}
