using System.Globalization;
using System.Text;
using GenCluster.Imaging;
using GenCluster.Training.Local;

namespace GenCluster.Cli.Reporting;

/// <summary>Writes what a training run leaves behind: sample grid, loss curves, per-step history.</summary>
internal static class RunArtifacts
{
    /// <summary>Saves an 8×8 (or nearest square) grid of 28×28 samples in [-1, 1] as a PNG.</summary>
    public static void WriteSampleGrid(string path, float[] images, int count, int side) =>
        ImageGrid.SavePng(path, images, count, side, side);

    /// <summary>Saves D and G losses (raw, lightly smoothed) as PNG and SVG.</summary>
    public static void WriteLossPlots(string pngPath, string svgPath, IReadOnlyList<StepRecord> history)
    {
        var steps = history.Select(r => (double)r.Step).ToArray();
        var plot = new LinePlot(1000, 560)
        {
            Title = "DCGAN on Fashion-MNIST",
            XLabel = "step",
            YLabel = "loss",
            SmoothingWindow = Math.Max(1, history.Count / 100),
        };
        plot.AddSeries("D loss", steps, history.Select(r => (double)r.DiscriminatorLoss).ToArray());
        plot.AddSeries("G loss", steps, history.Select(r => (double)r.GeneratorLoss).ToArray());
        plot.SavePng(pngPath);
        plot.SaveSvg(svgPath);
    }

    /// <summary>Saves the per-step history as CSV.</summary>
    public static void WriteHistory(string path, IReadOnlyList<StepRecord> history)
    {
        var csv = new StringBuilder("step,d_loss,g_loss,d_x,d_g_z1,d_g_z2\n");
        foreach (var r in history)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.Step},{r.DiscriminatorLoss:R},{r.GeneratorLoss:R},{r.RealScore:R},{r.FakeScoreBefore:R},{r.FakeScoreAfter:R}\n");
        }

        File.WriteAllText(path, csv.ToString());
    }
}
