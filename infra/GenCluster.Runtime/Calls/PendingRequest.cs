using GenCluster.Runtime.Messaging;

namespace GenCluster.Runtime.Calls;

/// <summary>A request sent and not finished yet: where it went, who waits for its replies, and its timers.</summary>
internal sealed class PendingRequest : IDisposable
{
    private readonly string _what;
    private ITimer? _timeout;
    private CancellationTokenRegistration _cancellation;

    /// <summary>Creates an entry for <paramref name="request"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="sink">Receives the replies.</param>
    /// <param name="what">What is called (a method name, say); with the target grain it describes the request.</param>
    public PendingRequest(Message request, IResponseSink sink, string what)
    {
        Request = request;
        Sink = sink;
        _what = what;
    }

    /// <summary>The request as last sent (rerouting replaces it).</summary>
    public Message Request { get; set; }

    /// <summary>Receives the replies.</summary>
    public IResponseSink Sink { get; }

    /// <summary>What the request calls, for errors and logs (e.g. <c>IGreeter.SayHello on greeter/a</c>); built on demand.</summary>
    public string Description => Request.Target.Type is null ? _what : $"{_what} on {Request.Target}";

    /// <summary>The silo it was last sent to (the gateway, for a client); null before routing.</summary>
    public SiloAddress? Destination { get; set; }

    /// <summary>When the caller stops waiting; null when it waits indefinitely (streams).</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>How many times it was rerouted after a rejection.</summary>
    public int Reroutes { get; set; }

    /// <summary>
    /// Decides what a runtime rejection (<see cref="Message.Rejection"/>) means for this request: true when the
    /// handler resent it (the rejection is not delivered), false to deliver the rejection as the final error.
    /// </summary>
    public Func<PendingRequest, Message, bool>? RejectionHandler { get; init; }

    /// <summary>The message id (the key of the table).</summary>
    public long Id => Request.Id;

    internal void SetTimer(ITimer timer) => _timeout = timer;

    internal void SetCancellation(CancellationTokenRegistration registration) => _cancellation = registration;

    /// <inheritdoc />
    public void Dispose()
    {
        _timeout?.Dispose();
        _cancellation.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"#{Id} {Description}";
}
