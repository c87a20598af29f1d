using GenCluster.Torch;
using GenCluster.Training.Gan;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Tests;

/// <summary>A GAN step's gradient-ready reports: once per parameter per phase, only when the gradient is final, and no change to the gradients.</summary>
public sealed class GanStepGradientReadyTests
{
    private static readonly DcganOptions Model = new() { LatentSize = 16, GeneratorWidth = 8, DiscriminatorWidth = 8 };

    [Fact]
    public void Each_phase_reports_each_of_its_parameters_once_with_its_final_gradient()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var step = NewStep();
        var real = rand([4, 1, 28, 28]) * 2 - 1;
        for (var i = 0; i < 2; i++)
        {
            var noise = randn([4, Model.LatentSize, 1, 1]);
            // D's phase runs two backward passes (real, then fake); only the second completes D's gradients.
            var d = Watch(step.DiscriminatorBuffer);
            step.DiscriminatorBackward(real, noise, d.Report);
            d.CheckAgainstFinal();

            var g = Watch(step.GeneratorBuffer);
            step.GeneratorBackward(g.Report);
            g.CheckAgainstFinal();
        }
    }

    [Fact]
    public void Watching_changes_no_gradient()
    {
        using var scope = NewDisposeScope();
        var noise = randn([4, Model.LatentSize, 1, 1]).DetachFromDisposeScope();
        var real = (rand([4, 1, 28, 28]) * 2 - 1).DetachFromDisposeScope();
        float[] Run(bool watch)
        {
            manual_seed(12);
            using var step = NewStep();
            step.DiscriminatorBackward(real, noise, watch ? _ => { } : null);
            var d = step.DiscriminatorBuffer.Gradients.ToArray<float>();
            step.GeneratorBackward(watch ? _ => { } : null);
            return [.. d, .. step.GeneratorBuffer.Gradients.ToArray<float>()];
        }

        Run(watch: true).Should().Equal(Run(watch: false));
        noise.Dispose();
        real.Dispose();
    }

    private static GanStep NewStep() => new(new DcganGenerator(Model), new DcganDiscriminator(Model));

    private static Watcher Watch(ParameterBuffer buffer) => new(buffer);

    /// <summary>Copies each parameter's gradient at the moment it is reported.</summary>
    private sealed class Watcher(ParameterBuffer buffer)
    {
        private readonly float[] _atReport = new float[buffer.Length];
        private readonly int[] _reports = new int[buffer.Layout.Count];

        public void Report(int index)
        {
            _reports[index]++;
            var slot = buffer.Layout[index];
            buffer.GradientSpan.Slice((int)slot.Offset, (int)slot.Length).CopyTo(_atReport.AsSpan((int)slot.Offset));
        }

        public void CheckAgainstFinal()
        {
            _reports.Should().OnlyContain(n => n == 1, "each parameter is reported exactly once per phase");
            var final = buffer.Gradients.ToArray<float>();
            final.Should().Contain(v => v != 0);
            _atReport.Should().Equal(final);
        }
    }
}
