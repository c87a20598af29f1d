namespace GenCluster.Datasets.Tests;

/// <summary>Loads the real Fashion-MNIST splits once for all tests of a class.</summary>
public sealed class FashionMnistFixture
{
    public FashionMnistFixture()
    {
        Train = new FashionMnist(FashionMnistSplit.Train, FashionMnist.DefaultDirectory);
        Test = new FashionMnist(FashionMnistSplit.Test, FashionMnist.DefaultDirectory);
    }

    public FashionMnist Train { get; }

    public FashionMnist Test { get; }
}
