namespace GenCluster.Runtime.Messaging;

/// <summary>What a <see cref="Message"/> is for; decides how the receiver routes it.</summary>
internal enum MessageKind
{
    /// <summary>A grain call that expects a response (or a stream of items).</summary>
    Request = 1,

    /// <summary>The successful result of a <see cref="Request"/>.</summary>
    Response = 2,

    /// <summary>A grain call whose caller does not wait for completion or errors.</summary>
    OneWayRequest = 3,

    /// <summary>One item of a streaming result.</summary>
    StreamItem = 4,

    /// <summary>The end of a streaming result (no more items, no error).</summary>
    StreamEnd = 5,

    /// <summary>A failed request: the body describes the exception, or <see cref="Message.Rejection"/> says why the runtime refused it.</summary>
    Error = 6,

    /// <summary>The caller gave up on a request (cancellation or timeout): stop it if it runs, drop it if it waits.</summary>
    Cancel = 7,

    /// <summary>A liveness probe between silos (membership).</summary>
    Ping = 8,

    /// <summary>The answer to a <see cref="Ping"/>.</summary>
    Pong = 9,
}
