namespace GenCluster.Runtime.Messaging;

/// <summary>Why the runtime (not the grain) refused a request; the caller reroutes instead of failing.</summary>
internal enum RejectionReason
{
    /// <summary>Not a rejection.</summary>
    None = 0,

    /// <summary>
    /// The grain is not activated on the receiving silo and will not be: the caller drops its cached location and
    /// resends once, to <see cref="Message.Redirect"/> when the receiver knows where the activation is.
    /// </summary>
    NotHere = 1,

    /// <summary>The receiving silo is shutting down and accepts no new activations: place the grain elsewhere.</summary>
    ShuttingDown = 2,

    /// <summary>The message was meant for another incarnation of the receiving endpoint (a silo that died and restarted).</summary>
    WrongSilo = 3,
}
