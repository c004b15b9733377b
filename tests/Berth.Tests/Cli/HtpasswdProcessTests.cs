using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>The real <c>berth htpasswd</c>, checked by Apache's own <c>htpasswd -v</c> (package apache2-utils).</summary>
public sealed class HtpasswdProcessTests
{
    [Fact]
    public async Task LabCommand_OutputIsAcceptedByApacheHtpasswd()
    {
        using var folder = new TempDirectory("berth-htpasswd");
        var file = folder.Combine("htpasswd");

        // docker run --entrypoint htpasswd registry -Bbn moby gordon > auth/htpasswd
        var berth = await Berth(["htpasswd", "-Bbn", "moby", "gordon"]);
        await File.WriteAllBytesAsync(file, berth.StandardOutputBytes, TestContext.Current.CancellationToken);

        Assert.Matches(@"^moby:\$2y\$05\$[./A-Za-z0-9]{53}\n\n$", berth.StandardOutput);
        Assert.Equal("", berth.StandardError);
        var apache = await Apache(["-vb", file, "moby", "gordon"]);
        Assert.True(apache.Succeeded, apache.Describe());
        Assert.False((await Apache(["-vb", file, "moby", "wrong"])).Succeeded);
    }

    [Fact]
    public async Task FileModeWithCostAndLongPassword_IsAcceptedByApacheHtpasswd()
    {
        using var folder = new TempDirectory("berth-htpasswd");
        var file = folder.Combine("htpasswd");
        var longPassword = new string('x', 80); // bcrypt reads 72 bytes; both sides must agree on that

        (await Berth(["htpasswd", "-cBb", "-C", "6", file, "alice", "wonderland"])).EnsureSuccess();
        (await Berth(["htpasswd", "-Bb", file, "bob", longPassword])).EnsureSuccess();

        Assert.StartsWith("alice:$2y$06$", (await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken))[0], StringComparison.Ordinal);
        Assert.True((await Apache(["-vb", file, "alice", "wonderland"])).Succeeded);
        Assert.True((await Apache(["-vb", file, "bob", longPassword])).Succeeded);
    }

    [Fact]
    public async Task ApacheFile_IsVerifiedByBerth()
    {
        using var folder = new TempDirectory("berth-htpasswd");
        var file = folder.Combine("htpasswd");
        (await Apache(["-cBb", file, "moby", "gordon"])).EnsureSuccess();

        var berth = await Berth(["htpasswd", "-vb", file, "moby", "gordon"]);

        Assert.True(berth.Succeeded, berth.Describe());
        Assert.Contains("Password for user moby correct.", berth.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordOnStandardInput_IsRead()
    {
        var berth = await Berth(["htpasswd", "-nB", "moby"], standardInput: "gordon\n");

        Assert.True(berth.Succeeded, berth.Describe());
        Assert.True(BCrypt.Net.BCrypt.Verify("gordon", berth.StandardOutput.Trim().Split(':', 2)[1]));
    }

    [Fact]
    public async Task BadFlag_ExitsTwoWithTheReason()
    {
        var berth = await Berth(["htpasswd", "-mbn", "moby", "gordon"]);

        Assert.Equal(2, berth.ExitCode);
        Assert.StartsWith("htpasswd: -m is not supported", berth.StandardError, StringComparison.Ordinal);
        Assert.Equal("", berth.StandardOutput);
    }

    private static Task<CommandResult> Berth(string[] args, string? standardInput = null) =>
        CommandRunner.RunAsync("dotnet", [BerthProcess.BerthDll, .. args],
            new CommandOptions { StandardInput = standardInput is null ? null : System.Text.Encoding.UTF8.GetBytes(standardInput) },
            TestContext.Current.CancellationToken);

    private static Task<CommandResult> Apache(string[] args) =>
        CommandRunner.RunAsync(Tools.Require("htpasswd", "apache2-utils"), args, cancellationToken: TestContext.Current.CancellationToken);
}
