using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace GenCluster.Membership.Tests.Support;

/// <summary>Writes log lines to the test's output, stamped with the test clock, so a failing test shows what the agents did.</summary>
public sealed class TestOutputLogger<T>(ITestOutputHelper output, TimeProvider clock, string prefix) : ILogger<T>
{
    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            var elapsed = clock.GetUtcNow().ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);
            output.WriteLine($"{elapsed} {prefix} {logLevel,-11} {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception.GetType().Name + ": " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output is closed.
        }
    }
}
