using GenCluster.Training.Gan;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Tests;

/// <summary>Phase 1 in two calls (real half, fake half) is phase 1 in one.</summary>
public sealed class GanStepHalvesTests
{
    private static readonly DcganOptions Model = new() { LatentSize = 16, GeneratorWidth = 8, DiscriminatorWidth = 8 };

    [Fact]
    public void Real_then_fake_half_equal_the_whole_phase()
    {
        using var scope = NewDisposeScope();
        var real = rand([4, 1, 28, 28]) * 2 - 1;
        var noise = randn([4, Model.LatentSize, 1, 1]);
        (DiscriminatorPhase, float[]) Run(bool split)
        {
            manual_seed(21);
            using var step = new GanStep(new DcganGenerator(Model), new DcganDiscriminator(Model));
            DiscriminatorPhase phase;
            if (split)
            {
                step.DiscriminatorRealBackward(real);
                phase = step.DiscriminatorFakeBackward(noise);
            }
            else
            {
                phase = step.DiscriminatorBackward(real, noise);
            }

            return (phase, step.DiscriminatorBuffer.Gradients.ToArray<float>());
        }

        var (wholePhase, wholeGradients) = Run(split: false);
        var (splitPhase, splitGradients) = Run(split: true);
        splitPhase.Should().Be(wholePhase);
        splitGradients.Should().Equal(wholeGradients);
        wholeGradients.Should().Contain(v => v != 0);
    }

    [Fact]
    public void The_fake_half_needs_a_real_half_of_the_same_batch_each_time()
    {
        using var scope = NewDisposeScope();
        using var step = new GanStep(new DcganGenerator(Model), new DcganDiscriminator(Model));
        var noise = randn([4, Model.LatentSize, 1, 1]);
        FluentActions.Invoking(() => step.DiscriminatorFakeBackward(noise)).Should().Throw<InvalidOperationException>();

        step.DiscriminatorRealBackward(rand([4, 1, 28, 28]));
        FluentActions.Invoking(() => step.DiscriminatorFakeBackward(randn([3, Model.LatentSize, 1, 1]))).Should().Throw<ArgumentException>();
        step.DiscriminatorFakeBackward(noise);
        FluentActions.Invoking(() => step.DiscriminatorFakeBackward(noise)).Should().Throw<InvalidOperationException>("a real half serves one fake half");
    }
}
