using System.IO.Pipelines;

namespace GenCluster.Transport;

/// <summary>The two pipe ends an application uses: read what the peer sent, write what goes to the peer.</summary>
internal sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
