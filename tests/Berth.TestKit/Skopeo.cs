namespace Berth.TestKit;

/// <summary>
/// skopeo against plain-HTTP registries on loopback. Every registry reference is <c>docker://HOST:PORT/...</c>;
/// TLS verification is off because the test registries speak plain HTTP.
/// </summary>
public static class Skopeo
{
    private static readonly CommandOptions Options = new() { Timeout = TimeSpan.FromMinutes(3) };

    /// <summary><c>skopeo copy</c>; <paramref name="format"/> is skopeo's <c>-f</c> (v2s2, oci) or null to keep it.</summary>
    public static Task<CommandResult> CopyAsync(string source, string destination, string? format = null, CancellationToken cancellationToken = default)
    {
        List<string> arguments = ["copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false"];
        if (format is not null)
        {
            arguments.AddRange(["--format", format]);
        }

        arguments.AddRange([source, destination]);
        return RunAsync(arguments, cancellationToken);
    }

    /// <summary><c>skopeo inspect</c> (or <c>--raw</c>: the manifest bytes exactly as the registry served them).</summary>
    public static Task<CommandResult> InspectAsync(string reference, bool raw = false, CancellationToken cancellationToken = default) =>
        RunAsync(raw ? ["inspect", "--tls-verify=false", "--raw", reference] : ["inspect", "--tls-verify=false", reference], cancellationToken);

    public static Task<CommandResult> ListTagsAsync(string repository, CancellationToken cancellationToken = default) =>
        RunAsync(["list-tags", "--tls-verify=false", repository], cancellationToken);

    public static Task<CommandResult> DeleteAsync(string reference, CancellationToken cancellationToken = default) =>
        RunAsync(["delete", "--tls-verify=false", reference], cancellationToken);

    /// <summary>Runs skopeo and throws, with its full output, unless it succeeds.</summary>
    public static Task<CommandResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        CommandRunner.RunCheckedAsync(Tools.Skopeo, arguments, Options, cancellationToken);

    /// <summary>Runs skopeo; a failure is returned for the test to inspect.</summary>
    public static Task<CommandResult> TryRunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        CommandRunner.RunAsync(Tools.Skopeo, arguments, Options, cancellationToken);
}
