using System.Globalization;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>Who owns a path (<c>stat -c %u</c>, which does not follow a link at its end): .NET cannot say.</summary>
internal static class FileOwner
{
    public static async Task<uint> OfAsync(string path)
    {
        var stat = await CommandRunner.RunAsync("stat", ["-c", "%u", path], cancellationToken: TestContext.Current.CancellationToken);
        stat.EnsureSuccess();
        return uint.Parse(stat.StandardOutput.Trim(), CultureInfo.InvariantCulture);
    }
}
