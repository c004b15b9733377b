namespace Berth.TestKit;

/// <summary>How to run a command: extra environment, folder, stdin and a timeout.</summary>
public sealed class CommandOptions
{
    public Dictionary<string, string> Environment { get; init; } = [];

    public string? WorkingDirectory { get; init; }

    public byte[]? StandardInput { get; init; }

    public TimeSpan? Timeout { get; init; }
}
