using Berth.Auth.Htpasswd;
using Berth.Auth.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Berth.Auth.Tests;

public sealed class HtpasswdParserTests
{
    [Fact]
    public void Parse_AllBcryptPrefixes_KeepsEveryUser()
    {
        using var logs = new TestLoggerFactory();
        var content = $"a:{HtpasswdFile.Hash("pa", 'y')}\nb:{HtpasswdFile.Hash("pb", 'a')}\nc:{HtpasswdFile.Hash("pc", 'b')}\n";

        var users = HtpasswdParser.Parse(content, logs.CreateLogger("t"));

        Assert.Equal(["a", "b", "c"], users.Keys.Order());
        Assert.StartsWith("$2y$", users["a"], StringComparison.Ordinal);
        Assert.StartsWith("$2a$", users["b"], StringComparison.Ordinal);
        Assert.StartsWith("$2b$", users["c"], StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public void Parse_BlankCommentAndCrLfLines_AreSkipped()
    {
        using var logs = new TestLoggerFactory();
        var content = $"# users\r\n\r\n   \r\nmoby:{HtpasswdFile.Hash("gordon")}\r\n";

        var users = HtpasswdParser.Parse(content, logs.CreateLogger("t"));

        Assert.Equal(["moby"], users.Keys);
        Assert.Empty(logs.Entries);
    }

    [Theory]
    [InlineData("apr", "$apr1$ZjTqBB3f$IF9gdYAGlMrs2fuINjHsz.")]
    [InlineData("sha", "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=")]
    [InlineData("crypt", "rl0fJLCOTHFe2")]
    [InlineData("plain", "plaintextsecret")]
    [InlineData("badbcrypt", "$2y$05$tooShort")]
    public void Parse_NonBcryptEntry_IsRefusedWithWarningNamingUserNotHash(string user, string hash)
    {
        using var logs = new TestLoggerFactory();

        var users = HtpasswdParser.Parse($"{user}:{hash}\nok:{HtpasswdFile.Hash("pw")}", logs.CreateLogger("t"));

        Assert.Equal(["ok"], users.Keys);
        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains(user, warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(hash, logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LineWithoutColon_IsSkippedAndLoggedByNumberOnly()
    {
        using var logs = new TestLoggerFactory();

        var users = HtpasswdParser.Parse("\nsecretwithoutuser\n", logs.CreateLogger("t"));

        Assert.Empty(users);
        var warning = Assert.Single(logs.Entries);
        Assert.Contains("line 2", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secretwithoutuser", logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateUser_LaterEntryWins()
    {
        using var logs = new TestLoggerFactory();
        var second = HtpasswdFile.Hash("two");

        var users = HtpasswdParser.Parse($"u:{HtpasswdFile.Hash("one")}\nu:{second}", logs.CreateLogger("t"));

        Assert.Equal(second, users["u"]);
    }

    [Fact]
    public void CostOf_BcryptHash_ReadsCost() =>
        Assert.Equal(4, HtpasswdParser.CostOf(HtpasswdFile.Hash("x")));
}
