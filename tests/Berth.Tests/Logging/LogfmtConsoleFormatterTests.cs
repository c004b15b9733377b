using Berth.Logging;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Berth.Tests.Logging;

public sealed class LogfmtConsoleFormatterTests
{
    [Fact]
    public void Write_PlainEntry_WritesTimeLevelMessageCategoryOnOneLine()
    {
        var output = Write(LogLevel.Information, "Configuration loaded", []);

        Assert.Equal("time=2025-01-02T03:04:05.678Z level=info msg=\"Configuration loaded\" category=Berth.Test\n", output);
    }

    [Theory]
    [InlineData(LogLevel.Debug, "debug")]
    [InlineData(LogLevel.Warning, "warning")]
    [InlineData(LogLevel.Error, "error")]
    [InlineData(LogLevel.Critical, "fatal")]
    public void Write_Level_UsesTheNamesRegistryTwoWrites(LogLevel level, string name)
    {
        Assert.Contains($" level={name} ", Write(level, "x", []), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LogFields_AreKeyValuesOnEveryEntry()
    {
        var fields = new LogFields(new Dictionary<string, string> { ["service"] = "registry", ["environment"] = "staging area" });
        var scopes = new FieldsScopeProvider(new LoggerExternalScopeProvider(), fields);

        var first = Write(LogLevel.Information, "one", [], scopes);
        var second = Write(LogLevel.Warning, "two", [], scopes);

        Assert.All([first, second], line => Assert.EndsWith(" service=registry environment=\"staging area\"\n", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Write_PushedScope_PrecedesTheFields()
    {
        var inner = new LoggerExternalScopeProvider();
        var scopes = new FieldsScopeProvider(inner, new LogFields(new Dictionary<string, string> { ["service"] = "registry" }));
        using var scope = inner.Push(new Dictionary<string, object?> { ["RequestId"] = "abc" });

        var output = Write(LogLevel.Information, "request", [], scopes);

        Assert.EndsWith(" RequestId=abc service=registry\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_StateProperties_AreKeyValuesWithoutTheFormat()
    {
        var output = Write(LogLevel.Information, "Pushed alpine", [new("Repository", "library/alpine"), new("{OriginalFormat}", "Pushed {Repository}")]);

        Assert.Contains(" Repository=library/alpine", output, StringComparison.Ordinal);
        Assert.DoesNotContain("OriginalFormat", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ValueWithQuotesBackslashAndNewline_IsQuotedAndEscaped()
    {
        var output = Write(LogLevel.Information, "say \"hi\"\\\nbye", [new("empty", ""), new("odd key", "a=b")]);

        Assert.Contains(" msg=\"say \\\"hi\\\"\\\\\\nbye\" ", output, StringComparison.Ordinal);
        Assert.Contains(" empty=\"\" odd_key=\"a=b\"", output, StringComparison.Ordinal);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Write_Exception_IsAnErrorKeyOnTheSameLine()
    {
        var output = Write(LogLevel.Error, "failed", [], exception: new InvalidOperationException("disk gone"));

        Assert.Contains(" error=\"System.InvalidOperationException: disk gone\"", output, StringComparison.Ordinal);
    }

    private static string Write(LogLevel level, string message, List<KeyValuePair<string, object?>> state,
        IExternalScopeProvider? scopes = null, Exception? exception = null) =>
        FormatterHarness.Write(new LogfmtConsoleFormatter(new FormatterHarness.FixedTime()), level, message, state, scopes, exception);
}
