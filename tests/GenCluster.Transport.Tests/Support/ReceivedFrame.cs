namespace GenCluster.Transport.Tests;

/// <summary>A frame copied out of a handler callback (the payload is only valid during the call).</summary>
internal sealed record ReceivedFrame(IFrameConnection Connection, byte[] Payload);
