using System.Text;

namespace Berth.TestKit;

/// <summary>What a finished command printed, and how it exited.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, byte[] StandardOutputBytes, byte[] StandardErrorBytes)
{
    public string StandardOutput => Encoding.UTF8.GetString(StandardOutputBytes);

    public string StandardError => Encoding.UTF8.GetString(StandardErrorBytes);

    public bool Succeeded => ExitCode == 0;

    public CommandResult EnsureSuccess() =>
        Succeeded ? this : throw new CommandFailedException(this);

    /// <summary>The command, its exit code and both outputs: what a failing test should show.</summary>
    public string Describe() =>
        $"$ {CommandLine}\nexit code: {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
