namespace GenCluster.Training.Quality;

/// <summary>The quality of a generator: the Fréchet distance of its samples' classifier features to the test set's.</summary>
/// <param name="Distance">The Fréchet distance and its two terms (lower is better; 0 means identical statistics).</param>
/// <param name="SampleCount">Images scored.</param>
/// <param name="ReferenceCount">Test images the distance is measured against.</param>
/// <param name="Elapsed">Time to draw and featurise the samples and compute the distance (not the cached test statistics).</param>
public readonly record struct QualityScore(FrechetDistance Distance, long SampleCount, long ReferenceCount, TimeSpan Elapsed)
{
    /// <summary>The Fréchet distance itself.</summary>
    public double Fid => Distance.Value;
}
