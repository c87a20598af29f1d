namespace GenCluster.Datasets;

/// <summary>
/// Which part of Fashion-MNIST to load.
/// </summary>
public enum FashionMnistSplit
{
    /// <summary>The 60,000 training images (<c>train-*-ubyte.gz</c>).</summary>
    Train,

    /// <summary>The 10,000 held-out test images (<c>t10k-*-ubyte.gz</c>).</summary>
    Test,
}
