using Berth.Cli;
using Berth.TestKit;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary><c>berth htpasswd</c> in this process: flags, file edits and exit codes as Apache htpasswd has them.</summary>
public sealed class HtpasswdCommandTests : IDisposable
{
    private readonly TempDirectory _folder = new("berth-htpasswd");
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private string PasswordFile => _folder.Combine("htpasswd");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Run_CombinedFlags_PrintsUserAndY2bcryptAtCost5ThenAnEmptyLine()
    {
        var exitCode = Run(["-Bbn", "moby", "gordon"]);

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^moby:\$2y\$05\$[./A-Za-z0-9]{53}\n\n$", _output.ToString());
        Assert.True(BCrypt.Net.BCrypt.Verify("gordon", Entry()));
        Assert.Equal("", _error.ToString());
    }

    [Theory]
    [InlineData(new[] { "-Bbn", "-C", "10", "u", "p" }, 10)]
    [InlineData(new[] { "-Bbn", "-C7", "u", "p" }, 7)]
    [InlineData(new[] { "-nbBC", "4", "u", "p" }, 4)]
    [InlineData(new[] { "-n", "-b", "u", "p" }, 5)]
    public void Run_Cost_IsInTheHash(string[] args, int cost)
    {
        Assert.Equal(0, Run(args));
        Assert.StartsWith($"$2y${cost:00}$", Entry(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PasswordStartingWithDash_IsAPassword()
    {
        Assert.Equal(0, Run(["-Bbn", "u", "-secret"]));
        Assert.True(BCrypt.Net.BCrypt.Verify("-secret", Entry()));
    }

    [Fact]
    public void Run_NoBatchFlag_ReadsOneLineOfStandardInput()
    {
        Assert.Equal(0, Run(["-Bn", "u"], input: "from stdin\nignored\n"));
        Assert.True(BCrypt.Net.BCrypt.Verify("from stdin", Entry()));
    }

    [Fact]
    public void Run_Terminal_AsksTwiceAndRefusesDifferentAnswers()
    {
        var answers = new Queue<string>(["one", "two"]);

        var exitCode = Run(["-Bn", "u"], prompt: _ => answers.Dequeue());

        Assert.Equal(HtpasswdException.PasswordMismatch, exitCode);
        Assert.Contains("password verification error", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", _output.ToString());
    }

    [Fact]
    public void Run_FileMode_CreatesAddsUpdatesAndKeepsOtherLines()
    {
        Assert.Equal(0, Run(["-cBb", PasswordFile, "alice", "a1"]));
        File.AppendAllText(PasswordFile, "# a comment\n");
        Assert.Equal(0, Run(["-Bb", PasswordFile, "bob", "b1"]));
        Assert.Equal(0, Run(["-Bb", PasswordFile, "alice", "a2"]));

        var lines = File.ReadAllLines(PasswordFile);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("alice:$2y$05$", lines[0], StringComparison.Ordinal);
        Assert.Equal("# a comment", lines[1]);
        Assert.StartsWith("bob:$2y$05$", lines[2], StringComparison.Ordinal);
        Assert.True(BCrypt.Net.BCrypt.Verify("a2", lines[0]["alice:".Length..]));
        Assert.Equal("Adding password for user alice\nAdding password for user bob\nUpdating password for user alice\n", _error.ToString());
    }

    [Fact]
    public void Run_MissingFileWithoutCreate_ExitsOneNamingMinusC()
    {
        Assert.Equal(HtpasswdException.FileError, Run(["-Bb", PasswordFile, "u", "p"]));
        Assert.Contains("use '-c' to create it", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(PasswordFile));
    }

    [Fact]
    public void Run_VerifyAndDelete_WorkOnTheFile()
    {
        Run(["-cbB", PasswordFile, "u", "right"]);

        Assert.Equal(0, Run(["-vb", PasswordFile, "u", "right"]));
        Assert.Equal(HtpasswdException.PasswordMismatch, Run(["-vb", PasswordFile, "u", "wrong"]));
        Assert.Equal(HtpasswdException.BadUser, Run(["-vb", PasswordFile, "nobody", "x"]));
        Assert.Equal(0, Run(["-D", PasswordFile, "u"]));
        Assert.Equal("", File.ReadAllText(PasswordFile));
    }

    [Theory]
    [InlineData(new[] { "-mbn", "u", "p" }, "-m is not supported")]
    [InlineData(new[] { "-sbn", "u", "p" }, "-s is not supported")]
    [InlineData(new[] { "-pbn", "u", "p" }, "-p is not supported")]
    [InlineData(new[] { "-dbn", "u", "p" }, "-d is not supported")]
    [InlineData(new[] { "-Bbn", "-C", "3", "u", "p" }, "from 4 to 17, got '3'")]
    [InlineData(new[] { "-Bbn", "-C", "18", "u", "p" }, "from 4 to 17, got '18'")]
    [InlineData(new[] { "-Bbn", "-C" }, "-C needs a cost")]
    [InlineData(new[] { "-Bbx", "u", "p" }, "unknown option -x")]
    [InlineData(new[] { "-Bbn", "u" }, "expected username password, got 1 argument")]
    [InlineData(new[] { "-Bb", "file", "u" }, "expected passwordfile username password")]
    [InlineData(new[] { "-cn", "u" }, "-c and -n cannot be combined")]
    [InlineData(new[] { "-bin", "u", "p" }, "-b and -i cannot be combined")]
    [InlineData(new string[0], "expected passwordfile username, got 0 arguments")]
    public void Run_BadArguments_ExitTwoWithAReasonAndTheUsage(string[] args, string reason)
    {
        Assert.Equal(HtpasswdException.SyntaxError, Run(args));
        Assert.StartsWith("htpasswd: ", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains(reason, _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Usage:", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", _output.ToString());
    }

    [Theory]
    [InlineData("a:b", HtpasswdException.BadUser)]
    [InlineData("", HtpasswdException.BadUser)]
    public void Run_BadUserName_IsRefused(string user, int exitCode)
    {
        Assert.Equal(exitCode, Run(["-Bbn", user, "p"]));
    }

    [Fact]
    public void Run_Help_PrintsTheUsageAndExitsZero()
    {
        Assert.Equal(0, Run(["--help"]));
        Assert.Contains("berth htpasswd -nb[B] [-C cost] username password", _output.ToString(), StringComparison.Ordinal);
    }

    private int Run(string[] args, string input = "", Func<string, string?>? prompt = null) =>
        new HtpasswdCommand(new StringReader(input), _output, _error, prompt).Run(args);

    /// <summary>The hash of the single entry printed by -n.</summary>
    private string Entry() => _output.ToString().Trim().Split(':', 2)[1];
}
