using System.Globalization;
using GenCluster.Contracts.Training;

namespace GenCluster.Cli.Cluster;

/// <summary>
/// Streams an experiment's events to the console until it ends. With <c>cancelOnInterrupt</c>, Ctrl-C cancels the
/// experiment and keeps following until the coordinator confirms; otherwise Ctrl-C only detaches.
/// </summary>
/// <param name="coordinator">The experiment's coordinator.</param>
/// <param name="imagesPerStep">The global batch, for images/s; 0 when unknown (then steps/s is shown).</param>
/// <param name="logEvery">Print every this many steps (and the first and last).</param>
/// <param name="output">Where the lines go.</param>
internal sealed class ExperimentFollower(IExperimentCoordinatorGrain coordinator, int imagesPerStep, int logEvery, TextWriter output)
{
    private const int MaxReattachAttempts = 5;
    private static readonly TimeSpan CancelGrace = TimeSpan.FromMinutes(2);

    /// <summary>The last step seen, if any.</summary>
    public StepProgress? LastStep { get; private set; }

    /// <summary>Follows until the terminal event; null when detached by <paramref name="interrupt"/> without cancelling.</summary>
    public async Task<ExperimentStatus?> FollowAsync(bool cancelOnInterrupt, CancellationToken interrupt)
    {
        long last = 0;
        var token = interrupt;
        using var grace = new CancellationTokenSource();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await foreach (var entry in coordinator.Watch(last, token).WithCancellation(token))
                {
                    last = entry.Sequence;
                    Print(entry);
                }

                return await coordinator.GetStatus();
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested && !grace.IsCancellationRequested)
            {
                if (!cancelOnInterrupt || token == grace.Token)
                {
                    return null;
                }

                output.WriteLine("interrupted: cancelling the experiment after the step in progress…");
                await coordinator.Cancel();
                grace.CancelAfter(CancelGrace);
                token = grace.Token;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < MaxReattachAttempts)
            {
                // A gateway that died mid-stream: the client fails over; re-attach after the last event seen.
                output.WriteLine($"lost the progress stream ({e.GetType().Name}: {e.Message}); re-attaching after event {last}");
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }

    private void Print(ExperimentEvent entry)
    {
        if (entry.Step is { } step)
        {
            LastStep = step;
            var done = step.Step + 1;
            if (done % logEvery == 0 || done == step.TotalSteps || done == 1)
            {
                var seconds = Math.Max(1e-9, step.StepSeconds);
                var rate = imagesPerStep > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{imagesPerStep / seconds:F1} images/s")
                    : string.Create(CultureInfo.InvariantCulture, $"{1 / seconds:F2} steps/s");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{done,6}/{step.TotalSteps}] Loss_D: {step.DiscriminatorLoss:F4} Loss_G: {step.GeneratorLoss:F4} D(x): {step.RealScore:F4} D(G(z)): {step.FakeScoreBefore:F4} / {step.FakeScoreAfter:F4}  {rate}  step {step.StepSeconds * 1000:F0} ms (compute {step.ComputeSeconds * 1000:F0}, comm {step.CommunicationSeconds * 1000:F0})"));
            }

            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{entry.Timestamp:HH:mm:ss}] {entry.State}: {entry.Message}"));
    }
}
