using Berth.Hosting;
using Berth.Logging;
using Microsoft.AspNetCore.BerthTests;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Berth.Tests.Logging;

public sealed class TextConsoleFormatterTests
{
    private static readonly LogFields Service = new(new Dictionary<string, string> { ["service"] = "registry" });

    [Fact]
    public void Write_BerthEntry_IsTimeLevelMessageOnOneLine()
    {
        var output = Write(LogLevel.Information, "berth listening on :5000", []);

        Assert.Equal("2025-01-02T03:04:05.678Z info berth listening on :5000\n", output);
    }

    [Fact]
    public void Write_RequestEntry_EndsWithRequestIdThenFields()
    {
        var inner = new LoggerExternalScopeProvider();
        using var request = inner.Push(new RequestLogScope("abc123"));

        var output = Write(LogLevel.Information, "GET /v2/ 200 2 0.1ms user=- remote=127.0.0.1",
            [new("Method", "GET"), new("{OriginalFormat}", "{Method} ...")], new FieldsScopeProvider(inner, Service));

        Assert.Equal("2025-01-02T03:04:05.678Z info GET /v2/ 200 2 0.1ms user=- remote=127.0.0.1 request_id=abc123 service=registry\n", output);
    }

    [Fact]
    public void Write_AspNetCoreScopes_AreLeftOut()
    {
        var inner = new LoggerExternalScopeProvider();
        using var connection = inner.Push(new AspNetCoreLikeScope());
        using var request = inner.Push(new RequestLogScope("abc123"));

        var output = Write(LogLevel.Warning, "slow", [], new FieldsScopeProvider(inner, Service));

        Assert.Equal("2025-01-02T03:04:05.678Z warning slow request_id=abc123 service=registry\n", output);
    }

    [Theory]
    [InlineData("Microsoft.Hosting.Lifetime", " category=Hosting.Lifetime\n")]
    [InlineData("Microsoft.AspNetCore.Server.Kestrel", " category=Server.Kestrel\n")]
    [InlineData("Some.Library", " category=Some.Library\n")]
    public void Write_FrameworkCategory_IsShortenedAtTheEnd(string category, string ending)
    {
        var output = FormatterHarness.Write(Formatter(), LogLevel.Information, "Application started.", [], category: category);

        Assert.EndsWith(ending, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NewlineInMessage_IsEscapedSoOneEntryIsOneLine()
    {
        var output = Write(LogLevel.Information, "GET /v2/a\n2025-01-01T00:00:00.000Z error forged 404", []);

        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("/v2/a\\n2025", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Exception_IsAQuotedErrorFieldOnTheSameLine()
    {
        var output = Write(LogLevel.Error, "failed", [], exception: new InvalidOperationException("disk gone"));

        Assert.StartsWith("2025-01-02T03:04:05.678Z error failed error=\"System.InvalidOperationException: disk gone\"", output,
            StringComparison.Ordinal);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static TextConsoleFormatter Formatter() => new(new FormatterHarness.FixedTime());

    private static string Write(LogLevel level, string message, List<KeyValuePair<string, object?>> state,
        IExternalScopeProvider? scopes = null, Exception? exception = null) =>
        FormatterHarness.Write(Formatter(), level, message, state, scopes, exception);
}
