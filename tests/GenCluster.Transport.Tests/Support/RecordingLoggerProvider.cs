using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GenCluster.Transport.Tests;

/// <summary>
/// Keeps log lines in memory so tests can assert on them (what was logged, at which level, and that no secret was).
/// Holds at most <see cref="Capacity"/> lines; <see cref="Count"/> still counts all of them.
/// </summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    public const int Capacity = 50_000;

    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private int _count;

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public int Count => Volatile.Read(ref _count);

    public ILoggerFactory CreateFactory() =>
        LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(this));

    public IEnumerable<LogEntry> AtLeast(LogLevel level) => _entries.Where(entry => entry.Level >= level);

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        if (Interlocked.Increment(ref _count) <= Capacity)
        {
            _entries.Enqueue(entry);
        }
    }

    private sealed class RecordingLogger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Add(new LogEntry(logLevel, category, formatter(state, exception), exception));
    }
}
