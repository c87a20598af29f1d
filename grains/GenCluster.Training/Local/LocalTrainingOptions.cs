using GenCluster.Training.Gan;
using GenCluster.Training.Optim;

namespace GenCluster.Training.Local;

/// <summary>A single-process DCGAN run on Fashion-MNIST; defaults are the pytorch/examples recipe.</summary>
public sealed record LocalTrainingOptions
{
    /// <summary>Optimizer steps (each one D update and one G update).</summary>
    public int Steps { get; init; } = 2000;

    /// <summary>Images per step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Seeds weight initialisation, the data order and the latent noise.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>libtorch intra-op threads.</summary>
    public int Threads { get; init; } = 2;

    public DcganOptions Model { get; init; } = new();

    /// <summary>Adam 2e-4, β = (0.5, 0.999), as in the DCGAN paper.</summary>
    public AdamOptions Adam { get; init; } = new() { LearningRate = 2e-4, Beta1 = 0.5, Beta2 = 0.999 };

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (Steps is < 1 or > 10_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be in 1..10,000,000");
        }

        if (BatchSize is < 2 or > 65_536)
        {
            // BatchNorm needs more than one value per channel in training.
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be in 2..65,536");
        }

        if (Threads is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be in 1..1024");
        }

        Model.Validate();
        Adam.Validate();
    }
}
