using System.Collections.ObjectModel;

namespace GenCluster.Datasets;

/// <summary>
/// One split of Fashion-MNIST held in memory as normalised float32 images and byte labels.
/// </summary>
/// <remarks>
/// <para>
/// Images are stored as one contiguous N×1×28×28 float32 tensor (NCHW, row-major) with pixel
/// values mapped from 0..255 to [-1, 1] by <c>x / 127.5 − 1</c>, so 0 maps to exactly −1 and
/// 255 to exactly 1. <see cref="CopyBatch"/> gathers a batch by index into caller-provided
/// spans, so a training loop can fill a pinned or native buffer without allocating.
/// </para>
/// <para>
/// The files are read from, in order of precedence: the directory passed to the constructor,
/// the <see cref="DirectoryEnvironmentVariable"/> environment variable, and
/// <see cref="DefaultDirectory"/>, where the Debian package <see cref="DebianPackage"/> installs them.
/// </para>
/// </remarks>
public sealed class FashionMnist
{
    /// <summary>Environment variable that overrides the directory holding the IDX files.</summary>
    public const string DirectoryEnvironmentVariable = "GENCLUSTER_FASHION_MNIST_DIR";

    /// <summary>Where the Debian package <see cref="DebianPackage"/> installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The Debian package that ships the data set.</summary>
    public const string DebianPackage = "dataset-fashion-mnist";

    /// <summary>Image height in pixels.</summary>
    public const int ImageHeight = 28;

    /// <summary>Image width in pixels.</summary>
    public const int ImageWidth = 28;

    /// <summary>Number of channels (grey scale).</summary>
    public const int Channels = 1;

    /// <summary>Number of floats in one image (1×28×28).</summary>
    public const int PixelsPerImage = Channels * ImageHeight * ImageWidth;

    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;

    private static readonly float[] NormalisedPixel = BuildNormalisationTable();

    private readonly float[] _images;
    private readonly byte[] _labels;

    /// <summary>
    /// Loads one split of Fashion-MNIST.
    /// </summary>
    /// <param name="split">The split to load.</param>
    /// <param name="directory">
    /// The directory holding the gzipped IDX files; <see langword="null"/> means the
    /// <see cref="DirectoryEnvironmentVariable"/> environment variable if set, else <see cref="DefaultDirectory"/>.
    /// </param>
    /// <exception cref="FileNotFoundException">An IDX file is missing; the message says how to install it.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, or images and labels do not agree.</exception>
    public FashionMnist(FashionMnistSplit split, string? directory = null)
    {
        Split = split;
        Directory = ResolveDirectory(directory);
        (string imageFile, string labelFile) = FileNames(split);
        string imagePath = Path.Combine(Directory, imageFile);
        string labelPath = Path.Combine(Directory, labelFile);
        RequireFile(imagePath);
        RequireFile(labelPath);

        IdxArray images = IdxReader.Read(imagePath, IdxElementType.UnsignedByte, expectedRank: 3);
        if (images.Dimensions[1] != ImageHeight || images.Dimensions[2] != ImageWidth)
        {
            throw new InvalidDataException(
                $"{imagePath}: expected {ImageHeight}×{ImageWidth} images, found {images.Dimensions[1]}×{images.Dimensions[2]}.");
        }

        IdxArray labels = IdxReader.Read(labelPath, IdxElementType.UnsignedByte, expectedRank: 1);
        int count = images.Dimensions[0];
        if (labels.Dimensions[0] != count)
        {
            throw new InvalidDataException(
                $"{labelPath}: {labels.Dimensions[0]} labels, but {imagePath} holds {count} images.");
        }

        _labels = labels.Span.ToArray();
        for (int i = 0; i < _labels.Length; i++)
        {
            if (_labels[i] >= ClassCount)
            {
                throw new InvalidDataException($"{labelPath}: label {_labels[i]} at index {i} is outside 0..{ClassCount - 1}.");
            }
        }

        _images = GC.AllocateUninitializedArray<float>(checked(count * PixelsPerImage));
        ReadOnlySpan<byte> pixels = images.Span;
        for (int i = 0; i < _images.Length; i++)
        {
            _images[i] = NormalisedPixel[pixels[i]];
        }

        Count = count;
    }

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = new ReadOnlyCollection<string>(
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]);

    /// <summary>The split that was loaded.</summary>
    public FashionMnistSplit Split { get; }

    /// <summary>The directory the files were read from.</summary>
    public string Directory { get; }

    /// <summary>The number of images (60,000 for <see cref="FashionMnistSplit.Train"/>, 10,000 for <see cref="FashionMnistSplit.Test"/>).</summary>
    public int Count { get; }

    /// <summary>All images as one contiguous N×1×28×28 float32 tensor with values in [-1, 1].</summary>
    public ReadOnlyMemory<float> Images => _images;

    /// <summary>All labels (0..9), one per image.</summary>
    public ReadOnlyMemory<byte> Labels => _labels;

    /// <summary>
    /// Resolves the directory holding the files: <paramref name="directory"/> if given, else the
    /// <see cref="DirectoryEnvironmentVariable"/> environment variable if set and non-empty, else <see cref="DefaultDirectory"/>.
    /// </summary>
    /// <param name="directory">An explicit directory, or <see langword="null"/>.</param>
    /// <returns>The directory to read from.</returns>
    public static string ResolveDirectory(string? directory = null)
    {
        if (!string.IsNullOrEmpty(directory))
        {
            return directory;
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(DirectoryEnvironmentVariable);
        return string.IsNullOrEmpty(fromEnvironment) ? DefaultDirectory : fromEnvironment;
    }

    /// <summary>The image and label file names of a split.</summary>
    /// <param name="split">The split.</param>
    /// <returns>The gzipped IDX file names, e.g. <c>train-images-idx3-ubyte.gz</c> and <c>train-labels-idx1-ubyte.gz</c>.</returns>
    public static (string Images, string Labels) FileNames(FashionMnistSplit split) => split switch
    {
        FashionMnistSplit.Train => ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
        FashionMnistSplit.Test => ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown Fashion-MNIST split."),
    };

    /// <summary>Maps a raw pixel value 0..255 to [-1, 1] as <c>x / 127.5 − 1</c> (computed in double, rounded to float).</summary>
    /// <param name="pixel">The raw pixel value.</param>
    /// <returns>The normalised value; exactly −1 for 0 and exactly 1 for 255.</returns>
    public static float Normalise(byte pixel) => NormalisedPixel[pixel];

    /// <summary>One image as 1×28×28 floats in [-1, 1].</summary>
    /// <param name="index">The image index, 0..<see cref="Count"/>−1.</param>
    /// <returns>A view of the image's <see cref="PixelsPerImage"/> floats.</returns>
    public ReadOnlySpan<float> GetImage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _images.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>The label (0..9) of one image.</summary>
    /// <param name="index">The image index, 0..<see cref="Count"/>−1.</param>
    /// <returns>The label; <see cref="ClassNames"/> gives its name.</returns>
    public int GetLabel(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _labels[index];
    }

    /// <summary>
    /// Copies the images and labels at <paramref name="indices"/> into caller-provided buffers,
    /// without allocating: image <c>k</c> of the batch goes to
    /// <c>images[k*PixelsPerImage .. (k+1)*PixelsPerImage)</c> (a B×1×28×28 tensor) and its label to <c>labels[k]</c>.
    /// </summary>
    /// <param name="indices">The dataset indices of the batch, in batch order.</param>
    /// <param name="images">Receives <c>indices.Length × PixelsPerImage</c> floats; may be longer, the rest is untouched.</param>
    /// <param name="labels">Receives <c>indices.Length</c> labels; may be longer, the rest is untouched.</param>
    /// <exception cref="ArgumentException">A buffer is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the dataset (checked before anything is written).</exception>
    public void CopyBatch(ReadOnlySpan<int> indices, Span<float> images, Span<long> labels)
    {
        long neededFloats = (long)indices.Length * PixelsPerImage;
        if (images.Length < neededFloats)
        {
            throw new ArgumentException($"The image buffer holds {images.Length} floats; a batch of {indices.Length} needs {neededFloats}.", nameof(images));
        }

        if (labels.Length < indices.Length)
        {
            throw new ArgumentException($"The label buffer holds {labels.Length} entries; a batch of {indices.Length} needs {indices.Length}.", nameof(labels));
        }

        for (int k = 0; k < indices.Length; k++)
        {
            if ((uint)indices[k] >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), indices[k], $"Batch entry {k} is outside the dataset of {Count} images.");
            }
        }

        for (int k = 0; k < indices.Length; k++)
        {
            int index = indices[k];
            _images.AsSpan(index * PixelsPerImage, PixelsPerImage).CopyTo(images.Slice(k * PixelsPerImage, PixelsPerImage));
            labels[k] = _labels[index];
        }
    }

    private static void RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Fashion-MNIST file not found: {path}. Install the Debian package '{DebianPackage}' " +
                $"(apt-get install {DebianPackage}), or point {DirectoryEnvironmentVariable} (or the directory argument) " +
                "at a folder holding the gzipped IDX files.",
                path);
        }
    }

    private static float[] BuildNormalisationTable()
    {
        var table = new float[256];
        for (int x = 0; x < table.Length; x++)
        {
            table[x] = (float)((x / 127.5) - 1.0);
        }

        return table;
    }
}
