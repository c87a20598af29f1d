using System.Globalization;
using GenCluster.Torch;
using GenCluster.Torch.Modules;
using GenCluster.Torch.Serialization;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Quality;

/// <summary>
/// A small CNN for 28×28 Fashion-MNIST whose penultimate layer (<see cref="FeatureCount"/> ReLU units) is the
/// feature space of the quality metric, as Inception's pool layer is for FID on ImageNet-like images.
/// </summary>
/// <remarks>
/// conv 3×3 (1→32) 28×28 → conv 3×3/2 (32→64) 14×14 → conv 3×3/2 (64→128) 7×7 → conv 1×1 (128→16),
/// each with BatchNorm and ReLU; flatten (784) → Linear(784→128) + ReLU = features → Dropout → Linear(128→10).
/// The 1×1 reduction keeps the spatial layout for the dense layer while holding the model under 200k
/// parameters (≈ 0.8 MB as float32), small enough to ship as test data.
/// Inputs are images in [-1, 1], the range of Fashion-MNIST as loaded here and of a tanh generator.
/// </remarks>
public sealed class FashionMnistClassifier : Module
{
    /// <summary>Width of the feature layer.</summary>
    public const int FeatureCount = 128;

    /// <summary>The <c>architecture</c> metadata written with the weights, checked on load.</summary>
    public const string Architecture = "fashion-mnist-cnn-v1";

    private const int ReducedChannels = 16;

    private readonly Sequential _conv;
    private readonly Linear _embedding;
    private readonly Dropout _dropout;
    private readonly Linear _head;

    /// <summary>Builds the network with PyTorch's default initialisation (from the default generator).</summary>
    /// <param name="dropout">Dropout before the last layer during training.</param>
    public FashionMnistClassifier(double dropout = 0.3)
    {
        _conv = register_module("conv", nn.Sequential(
            nn.Conv2d(1, 32, 3, 1, 1, bias: false),
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1, bias: false),
            nn.BatchNorm2d(64),
            nn.ReLU(),
            nn.Conv2d(64, 128, 3, 2, 1, bias: false),
            nn.BatchNorm2d(128),
            nn.ReLU(),
            nn.Conv2d(128, ReducedChannels, 1, 1, 0, bias: false),
            nn.BatchNorm2d(ReducedChannels),
            nn.ReLU()));
        _embedding = register_module("embedding", nn.Linear(ReducedChannels * 7 * 7, FeatureCount));
        _dropout = register_module("dropout", nn.Dropout(dropout));
        _head = register_module("head", nn.Linear(FeatureCount, 10));
    }

    /// <summary>The generator that draws dropout masks (the process default when null).</summary>
    public Generator? DropoutGenerator
    {
        get => _dropout.generator;
        set => _dropout.generator = value;
    }

    /// <summary>Maps N×1×28×28 images to N×10 class logits.</summary>
    public override Tensor forward(Tensor input)
    {
        using var features = this.features(input);
        using var dropped = _dropout.forward(features);
        return _head.forward(dropped);
    }

    /// <summary>Maps N×1×28×28 images to the N×<see cref="FeatureCount"/> penultimate activations.</summary>
    /// <exception cref="ArgumentException">The input is not N×1×28×28.</exception>
    public Tensor features(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.shape;
        if (shape.Length != 4 || shape[1] != 1 || shape[2] != 28 || shape[3] != 28)
        {
            throw new ArgumentException($"the classifier takes N×1×28×28 images, got [{string.Join(", ", shape)}]", nameof(input));
        }

        using var maps = _conv.forward(input);
        using var flat = maps.flatten(1);
        using var hidden = _embedding.forward(flat);
        return hidden.relu();
    }

    /// <summary>Writes the weights (state dict) as safetensors with <paramref name="metadata"/> and the architecture name.</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var all = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            ["architecture"] = Architecture,
            ["feature_count"] = FeatureCount.ToString(CultureInfo.InvariantCulture),
        };
        SafeTensors.Save(state_dict(), path, all);
    }

    /// <summary>Loads weights written by <see cref="Save"/> and returns the classifier in evaluation mode, with the file's metadata.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">The file is not a classifier of this architecture.</exception>
    public static (FashionMnistClassifier Classifier, IReadOnlyDictionary<string, string> Metadata) Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"classifier weights not found: {path} (train them with `gencluster train-classifier`)", path);
        }

        var (tensors, metadata) = SafeTensors.Load(path);
        try
        {
            if (!metadata.TryGetValue("architecture", out var architecture) || architecture != Architecture)
            {
                throw new InvalidDataException($"{path}: architecture '{architecture ?? "(none)"}', expected '{Architecture}'");
            }

            var classifier = new FashionMnistClassifier();
            try
            {
                classifier.load_state_dict(tensors);
            }
            catch (ArgumentException e)
            {
                classifier.Dispose();
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }

            classifier.eval();
            return (classifier, metadata);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }
}
