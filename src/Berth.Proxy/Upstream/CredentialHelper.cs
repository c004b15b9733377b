using System.Diagnostics;
using System.Text.Json;

namespace Berth.Proxy.Upstream;

/// <summary>
/// registry:3's <c>proxy.exec</c>: the upstream's credentials come from a docker credential helper, run as
/// <c>command get</c> with the upstream's host on its input and answering <c>{"Username": ..., "Secret": ...}</c>
/// (the protocol of <c>docker-credential-*</c> programs, which cloud registries' short-lived tokens use). Its answer
/// is kept for <c>lifetime</c>; concurrent requests wait for one run.
/// </summary>
public sealed class CredentialHelper(string command, string host, TimeSpan lifetime, TimeProvider time) : IUpstreamCredentialSource, IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _running = new(1, 1);
    private (UpstreamCredentials Credentials, DateTimeOffset Until)? _kept;

    public async ValueTask<UpstreamCredentials?> GetAsync(CancellationToken cancellationToken)
    {
        if (_kept is { } kept && time.GetUtcNow() < kept.Until)
        {
            return kept.Credentials;
        }

        await _running.WaitAsync(cancellationToken);
        try
        {
            if (_kept is { } fresh && time.GetUtcNow() < fresh.Until)
            {
                return fresh.Credentials;
            }

            var credentials = await RunAsync(cancellationToken);
            _kept = (credentials, time.GetUtcNow() + lifetime);
            return credentials;
        }
        finally
        {
            _running.Release();
        }
    }

    public void Dispose() => _running.Dispose();

    private async Task<UpstreamCredentials> RunAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command, "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RunTimeout);
        using var process = StartProcess(start);
        try
        {
            await process.StandardInput.WriteAsync(host.AsMemory(), timeout.Token);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                // The helper's own words: they say what is wrong (not logged in, no such server), never the secret.
                throw new UpstreamException(UpstreamFailure.Refused, $"the credential helper {command} failed for {host} (exit {process.ExitCode}): {(await errors).Trim()}");
            }

            return Parse(await output);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new UpstreamException(UpstreamFailure.Refused, $"the credential helper {command} gave no answer within {RunTimeout.TotalSeconds:0} s");
        }
    }

    private Process StartProcess(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new UpstreamException(UpstreamFailure.Refused, $"the credential helper {command} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UpstreamException(UpstreamFailure.Refused, $"the credential helper {command} cannot be run: {e.Message}");
        }
    }

    private UpstreamCredentials Parse(string output)
    {
        try
        {
            using var answer = JsonDocument.Parse(output);
            if (answer.RootElement.TryGetProperty("Username", out var username) && username.ValueKind == JsonValueKind.String
                && answer.RootElement.TryGetProperty("Secret", out var secret) && secret.ValueKind == JsonValueKind.String)
            {
                return new UpstreamCredentials(username.GetString()!, secret.GetString()!);
            }
        }
        catch (JsonException)
        {
            // Said below, without the output, which may hold a secret.
        }

        throw new UpstreamException(UpstreamFailure.Refused, $"the credential helper {command} answered something other than {{\"Username\", \"Secret\"}} JSON");
    }
}
