namespace GenCluster.Runtime.Activation;

/// <summary>One turn waiting to run on an activation: a request, a timer tick, or the next step of a stream.</summary>
internal sealed class ActivationWorkItem
{
    /// <summary>Creates a work item.</summary>
    /// <param name="run">The turn; runs on the activation's scheduler.</param>
    /// <param name="interleaves">Whether it may run while another (non-interleaving) turn is in progress.</param>
    /// <param name="keepsAlive">Whether running it counts as activity for idle collection (timer ticks do not).</param>
    public ActivationWorkItem(Func<Task> run, bool interleaves, bool keepsAlive)
    {
        Run = run;
        Interleaves = interleaves;
        KeepsAlive = keepsAlive;
    }

    /// <summary>Creates the work item that serves <paramref name="request"/>.</summary>
    /// <param name="request">The request; its turn invokes the called method.</param>
    public ActivationWorkItem(IncomingRequest request)
    {
        Interleaves = request.Interleaves;
        KeepsAlive = true;
        Request = request;
    }

    /// <summary>The turn, when it serves no request.</summary>
    public Func<Task>? Run { get; }

    /// <summary>Whether it may interleave with other turns.</summary>
    public bool Interleaves { get; }

    /// <summary>Whether it counts as activity.</summary>
    public bool KeepsAlive { get; }

    /// <summary>The request it serves, if any.</summary>
    public IncomingRequest? Request { get; }

    /// <summary>Runs when the item is discarded without running (activation failed or went away, request cancelled).</summary>
    public Action<Exception>? OnDropped { get; init; }
}
