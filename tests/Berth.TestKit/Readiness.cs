using System.Diagnostics;

namespace Berth.TestKit;

/// <summary>Waits for a started server to answer, failing early (with its output) if it exits instead.</summary>
public static class Readiness
{
    public static async Task WaitAsync(BackgroundProcess process, string what, TimeSpan timeout,
        Func<CancellationToken, Task<bool>> isReady, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{what} exited with {process.ExitCode} before it was ready:\n$ {process.CommandLine}\n{process.Output}");
            }

            if (await isReady(cancellationToken))
            {
                return;
            }

            // A poll interval, not a guess at how long startup takes.
            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"{what} was not ready within {timeout}:\n$ {process.CommandLine}\n{process.Output}");
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; a timeout names <paramref name="what"/> was awaited.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout} for {what}");
            }

            // A poll interval, not a guess at how long the change takes.
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>True once GET <c>/v2/</c> gets any HTTP answer.</summary>
    public static async Task<bool> AnswersV2Async(HttpClient http, Uri baseUri, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(baseUri, "v2/"), cancellationToken);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
