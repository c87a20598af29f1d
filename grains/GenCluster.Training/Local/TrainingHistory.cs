namespace GenCluster.Training.Local;

/// <summary>Per-step results of a GAN run.</summary>
/// <param name="Step">Step number, from 0.</param>
/// <param name="DiscriminatorLoss">errD.</param>
/// <param name="GeneratorLoss">errG.</param>
/// <param name="RealScore">Mean D(x).</param>
/// <param name="FakeScoreBefore">Mean D(G(z)) before D's update.</param>
/// <param name="FakeScoreAfter">Mean D(G(z)) after D's update.</param>
public readonly record struct StepRecord(long Step, float DiscriminatorLoss, float GeneratorLoss, float RealScore, float FakeScoreBefore, float FakeScoreAfter);

/// <summary>Progress of a run, reported after each step.</summary>
/// <param name="Record">The step just completed.</param>
/// <param name="TotalSteps">Steps in the run.</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct TrainingProgress(StepRecord Record, int TotalSteps, TimeSpan Elapsed);
