namespace GenCluster.Training.Grains.Coordinator;

/// <summary>A step or the setup failed; the message is the experiment's failure reason (which rank, which silo, why).</summary>
internal sealed class ExperimentFailedException : Exception
{
    public ExperimentFailedException(string message) : base(message)
    {
    }

    public ExperimentFailedException()
    {
    }

    public ExperimentFailedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
