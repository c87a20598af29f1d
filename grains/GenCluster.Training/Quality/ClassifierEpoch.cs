namespace GenCluster.Training.Quality;

/// <summary>What one epoch of classifier training did.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="LearningRate">Adam's learning rate during the epoch.</param>
/// <param name="TrainLoss">Mean cross-entropy over the epoch's batches (in training mode).</param>
/// <param name="TestAccuracy">Fraction of the test set classified correctly after the epoch (evaluation mode).</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct ClassifierEpoch(int Epoch, double LearningRate, double TrainLoss, double TestAccuracy, TimeSpan Elapsed);
