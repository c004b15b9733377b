namespace Berth.TestKit;

/// <summary>A command exited with a non-zero code; the message carries its full output.</summary>
public sealed class CommandFailedException(CommandResult result) : Exception("command failed:\n" + result.Describe())
{
    public CommandResult Result { get; } = result;
}
