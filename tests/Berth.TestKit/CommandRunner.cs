using System.Diagnostics;

namespace Berth.TestKit;

/// <summary>
/// Runs a command-line tool to completion and captures its output as bytes (so <c>skopeo inspect --raw</c> can be
/// compared byte for byte). A small own runner instead of CliWrap: the TestKit already drives processes with
/// <see cref="Process"/>, and the few things needed here (timeout, kill the tree, full output in the error) fit
/// in one file without a new dependency.
/// </summary>
public static class CommandRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs the command; a non-zero exit code is returned, not thrown.</summary>
    public static async Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments, CommandOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new CommandOptions();
        var argumentList = arguments.ToList();
        var commandLine = fileName + " " + string.Join(' ', argumentList);
        using var process = new Process { StartInfo = StartInfo(fileName, argumentList, options) };
        if (!process.Start())
        {
            throw new InvalidOperationException("could not start " + commandLine);
        }

        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var stdoutTask = process.StandardOutput.BaseStream.CopyToAsync(stdout, CancellationToken.None);
        var stderrTask = process.StandardError.BaseStream.CopyToAsync(stderr, CancellationToken.None);
        await WriteStandardInputAsync(process, options.StandardInput);

        var timeout = options.Timeout ?? DefaultTimeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(stdoutTask, stderrTask);
            var partial = new CommandResult(commandLine, -1, stdout.ToArray(), stderr.ToArray());
            throw new TimeoutException($"{commandLine} did not finish within {timeout}:\n{partial.Describe()}");
        }

        await Task.WhenAll(stdoutTask, stderrTask);
        return new CommandResult(commandLine, process.ExitCode, stdout.ToArray(), stderr.ToArray());
    }

    /// <summary>Runs the command and throws, with everything it printed, unless it exits with 0.</summary>
    public static async Task<CommandResult> RunCheckedAsync(string fileName, IEnumerable<string> arguments, CommandOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(fileName, arguments, options, cancellationToken);
        return result.EnsureSuccess();
    }

    private static ProcessStartInfo StartInfo(string fileName, List<string> arguments, CommandOptions options)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in options.Environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private static async Task WriteStandardInputAsync(Process process, byte[]? input)
    {
        if (input is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(input);
        }

        // Closing stdin tells tools that would otherwise wait for input (or a terminal) that none comes.
        process.StandardInput.Close();
    }
}
