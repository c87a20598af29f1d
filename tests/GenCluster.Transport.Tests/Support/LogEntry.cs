using Microsoft.Extensions.Logging;

namespace GenCluster.Transport.Tests;

/// <summary>One recorded log line.</summary>
internal sealed record LogEntry(LogLevel Level, string Category, string Message, Exception? Exception)
{
    /// <summary>The message and the exception text: everything a log sink would write.</summary>
    public string FullText => Exception is null ? Message : $"{Message} {Exception}";
}
