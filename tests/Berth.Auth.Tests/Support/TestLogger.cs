using Microsoft.Extensions.Logging;

namespace Berth.Auth.Tests.Support;

/// <summary>Captures every log line, formatted, for assertions about what is (and is never) logged.</summary>
internal sealed class TestLoggerFactory : ILoggerFactory, ILogger
{
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public string AllText => string.Join('\n', Entries.Select(e => e.Message));

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception) + (exception is null ? "" : " | " + exception.Message);
        lock (_entries)
        {
            _entries.Add((logLevel, message));
        }
    }

    public void Dispose()
    {
    }
}
