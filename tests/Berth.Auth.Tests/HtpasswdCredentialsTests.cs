using Berth.Auth.Htpasswd;
using Berth.Auth.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Berth.Auth.Tests;

public sealed class HtpasswdCredentialsTests : IDisposable
{
    private readonly HtpasswdFile _file = new(("moby", "gordon"), ("alice", "wonder"));
    private readonly ManualTimeProvider _time = new();
    private readonly CountingVerifier _verifier = new();
    private readonly TestLoggerFactory _logs = new();

    public void Dispose()
    {
        _file.Dispose();
        _logs.Dispose();
    }

    private HtpasswdCredentials Create() => new(_file.Path, _verifier, _time, _logs.CreateLogger("t"));

    [Fact]
    public void Verify_RightPassword_ReturnsTrue() => Assert.True(Create().Verify("moby", "gordon"));

    [Fact]
    public void Verify_WrongPasswordOrUnknownUser_ReturnsFalse()
    {
        var credentials = Create();
        Assert.False(credentials.Verify("moby", "wrong"));
        Assert.False(credentials.Verify("nobody", "gordon"));
        Assert.False(credentials.Verify("moby", ""));
    }

    [Fact]
    public void Verify_SamePasswordAgain_DoesNotRunBcryptAgain()
    {
        var credentials = Create();
        Assert.True(credentials.Verify("moby", "gordon"));
        Assert.Equal(1, _verifier.Verifications);

        for (var i = 0; i < 100; i++)
        {
            Assert.True(credentials.Verify("moby", "gordon"));
        }

        Assert.Equal(1, _verifier.Verifications);
    }

    [Fact]
    public void Verify_WrongPasswordAfterCachedRightOne_RunsBcryptOnceAndFails()
    {
        var credentials = Create();
        Assert.True(credentials.Verify("moby", "gordon"));

        Assert.False(credentials.Verify("moby", "gordon2"));
        Assert.False(credentials.Verify("moby", "gordon2"));
        Assert.True(credentials.Verify("moby", "gordon"));

        // The refused pair is remembered too: a client retrying a stale password costs one bcrypt run, not one per request.
        Assert.Equal(2, _verifier.Verifications);
    }

    [Fact]
    public void Verify_EachNewWrongPassword_RunsBcrypt()
    {
        var credentials = Create();

        for (var i = 0; i < 5; i++)
        {
            Assert.False(credentials.Verify("moby", "guess" + i));
        }

        // Guessing gains nothing from the cache: every new password is checked in full.
        Assert.Equal(5, _verifier.Verifications);
    }

    [Fact]
    public void Verify_UnknownUser_RunsBcryptOnceLikeAKnownUser()
    {
        var credentials = Create();
        Assert.False(credentials.Verify("nobody", "x"));
        Assert.False(credentials.Verify("nobody", "x"));
        Assert.False(credentials.Verify("moby", "x"));
        Assert.False(credentials.Verify("moby", "x"));

        // One run each: an unknown user's retry is as cheap as a known user's, so timing tells the two apart no more.
        Assert.Equal(2, _verifier.Verifications);
    }

    [Fact]
    public void Verify_RefusedPasswordBecomesRightAfterReload_Accepted()
    {
        var credentials = Create();
        Assert.False(credentials.Verify("moby", "newpass"));

        _file.Write(("moby", "newpass"));
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(credentials.Verify("moby", "newpass"));
    }

    [Fact]
    public void Verify_FileChangedAndSecondPassed_OldPasswordStopsWorking()
    {
        var credentials = Create();
        Assert.True(credentials.Verify("moby", "gordon"));

        _file.Write(("moby", "newpass"), ("alice", "wonder"));
        _time.Advance(TimeSpan.FromSeconds(1.5));

        Assert.False(credentials.Verify("moby", "gordon"));
        Assert.True(credentials.Verify("moby", "newpass"));
    }

    [Fact]
    public void Verify_FileChangedWithinASecond_IsNotLookedAtYet()
    {
        var credentials = Create();
        Assert.True(credentials.Verify("moby", "gordon"));

        _file.Write(("moby", "newpass"));
        _time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.True(credentials.Verify("moby", "gordon"));
        _time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.False(credentials.Verify("moby", "gordon"));
    }

    [Fact]
    public void Verify_FileReloaded_DropsCacheSoBcryptRunsAgain()
    {
        var credentials = Create();
        Assert.True(credentials.Verify("alice", "wonder"));
        var hashLine = File.ReadAllLines(_file.Path).Single(l => l.StartsWith("alice:", StringComparison.Ordinal));

        // Same alice entry, another user added: the cache is dropped all the same.
        _file.WriteLines(hashLine, "bob:" + HtpasswdFile.Hash("builder"));
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(credentials.Verify("alice", "wonder"));
        Assert.Equal(2, _verifier.Verifications);
        Assert.True(credentials.Verify("bob", "builder"));
        Assert.Equal(2, credentials.UserCount);
    }

    [Fact]
    public void Verify_FileDeletedAfterStart_NobodyLogsInUntilItIsBack()
    {
        var credentials = Create();
        Assert.True(credentials.Verify("moby", "gordon"));

        File.Delete(_file.Path);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(credentials.Verify("moby", "gordon"));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(_file.Path, StringComparison.Ordinal));

        _file.Write(("moby", "gordon"));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(credentials.Verify("moby", "gordon"));
    }

    [Fact]
    public async Task Verify_ConcurrentCallersAcrossReloads_AllAnswersCorrect()
    {
        var credentials = Create();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var ok = true;
            for (var i = 0; i < 200; i++)
            {
                ok &= credentials.Verify("moby", "gordon") && !credentials.Verify("alice", worker % 2 == 0 ? "nope" : "wonder2");
                if (worker == 0 && i % 50 == 0)
                {
                    _time.Advance(TimeSpan.FromSeconds(2));
                }
            }

            return ok;
        }, TestContext.Current.CancellationToken)));

        Assert.All(results, Assert.True);
    }

    [Fact]
    public void Constructor_MissingFile_ThrowsConfigurationErrorForPath()
    {
        var missing = _file.Path + ".missing";
        var error = Assert.Throws<AuthConfigurationException>(() => new HtpasswdCredentials(missing, _verifier, _time, _logs.CreateLogger("t")));
        Assert.Equal("auth.htpasswd.path", error.Key);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public void Verify_ManyRequests_NoSecretInLogs()
    {
        var credentials = Create();
        credentials.Verify("moby", "gordon");
        credentials.Verify("moby", "wrongsecret");
        var hashes = File.ReadAllLines(_file.Path).Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..]);

        foreach (var secret in hashes.Append("gordon").Append("wrongsecret"))
        {
            Assert.DoesNotContain(secret, _logs.AllText, StringComparison.Ordinal);
        }
    }
}
