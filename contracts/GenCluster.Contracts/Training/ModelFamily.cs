using GenCluster.Runtime;

namespace GenCluster.Contracts.Training;

/// <summary>The GAN architectures a <see cref="TrainingPlan"/> can train.</summary>
[GenerateSerializer]
public enum ModelFamily
{
    /// <summary><c>dcgan</c>: transposed-convolution generator and convolutional discriminator with BatchNorm (28×28).</summary>
    Dcgan = 0,

    /// <summary><c>mlp-gan</c>: fully connected generator and discriminator without BatchNorm.</summary>
    MlpGan = 1,
}

/// <summary>The spellings of <see cref="ModelFamily"/> used in experiment specs (<c>dcgan</c>, <c>mlp-gan</c>).</summary>
public static class ModelFamilyNames
{
    /// <summary>The spec name of <paramref name="family"/>.</summary>
    public static string ToName(this ModelFamily family) => family switch
    {
        ModelFamily.Dcgan => "dcgan",
        ModelFamily.MlpGan => "mlp-gan",
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown model family"),
    };

    /// <summary>Parses <c>dcgan</c> or <c>mlp-gan</c>.</summary>
    /// <exception cref="FormatException">Any other text.</exception>
    public static ModelFamily Parse(string name) => name switch
    {
        "dcgan" => ModelFamily.Dcgan,
        "mlp-gan" => ModelFamily.MlpGan,
        _ => throw new FormatException($"'{name}' is not a model family; expected 'dcgan' or 'mlp-gan'"),
    };
}
