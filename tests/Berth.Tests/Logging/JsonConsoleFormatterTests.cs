using System.Text.Json;
using Berth.Hosting;
using Berth.Logging;
using Microsoft.AspNetCore.BerthTests;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Berth.Tests.Logging;

public sealed class JsonConsoleFormatterTests
{
    private static readonly LogFields Service = new(new Dictionary<string, string> { ["service"] = "registry" });

    [Fact]
    public void Write_Json_IsOneLogrusShapedObjectWithFieldsAndRequestId()
    {
        var root = WriteAndParse(JsonLogShape.Json, "GET /v2/ 200", [new("Status", 200), new("{OriginalFormat}", "x")], RequestScopes());

        Assert.Equal("2025-01-02T03:04:05.678Z", root.GetProperty("time").GetString());
        Assert.Equal("info", root.GetProperty("level").GetString());
        Assert.Equal("GET /v2/ 200", root.GetProperty("msg").GetString());
        Assert.Equal("abc123", root.GetProperty("request_id").GetString());
        Assert.Equal("registry", root.GetProperty("service").GetString());
        Assert.Equal(200, root.GetProperty("Status").GetInt32());
        Assert.False(root.TryGetProperty("{OriginalFormat}", out _));
        Assert.False(root.TryGetProperty("ConnectionId", out _));
    }

    [Fact]
    public void Write_Logstash_IsALogstashEvent()
    {
        var root = WriteAndParse(JsonLogShape.Logstash, "GET /v2/ 200", [], RequestScopes());

        Assert.Equal("2025-01-02T03:04:05.678Z", root.GetProperty("@timestamp").GetString());
        Assert.Equal("1", root.GetProperty("@version").GetString());
        Assert.Equal("GET /v2/ 200", root.GetProperty("message").GetString());
        Assert.Equal("info", root.GetProperty("level").GetString());
        Assert.Equal("abc123", root.GetProperty("request_id").GetString());
        Assert.Equal("registry", root.GetProperty("service").GetString());
        Assert.False(root.TryGetProperty("msg", out _));
        Assert.False(root.TryGetProperty("time", out _));
    }

    [Theory]
    [InlineData("json", "level", "fields.level")]
    [InlineData("json", "msg", "fields.msg")]
    [InlineData("logstash", "message", "fields.message")]
    [InlineData("logstash", "@version", "fields.@version")]
    public void Write_FieldNamedLikeAKey_IsKeptUnderFields(string shape, string key, string kept)
    {
        var root = WriteAndParse(shape == "json" ? JsonLogShape.Json : JsonLogShape.Logstash, "m", [new(key, "mine")]);

        Assert.Equal("mine", root.GetProperty(kept).GetString());
    }

    [Fact]
    public void Write_Values_KeepTheirJsonTypes()
    {
        var root = WriteAndParse(JsonLogShape.Json, "m",
            [new("Bytes", new ByteCount(1234)), new("Unknown", new ByteCount(null)), new("Ms", 0.25), new("On", true), new("None", null)]);

        Assert.Equal(1234, root.GetProperty("Bytes").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("Unknown").ValueKind);
        Assert.Equal(0.25, root.GetProperty("Ms").GetDouble());
        Assert.True(root.GetProperty("On").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("None").ValueKind);
    }

    [Fact]
    public void Write_HostileMessageAndException_StillOneParsableLine()
    {
        var formatter = new JsonConsoleFormatter(JsonLogShape.Json, new FormatterHarness.FixedTime());
        var output = FormatterHarness.Write(formatter, LogLevel.Error, "say \"hi\"\n\u0001<b>&", [],
            exception: new InvalidOperationException("disk\ngone"));

        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var document = JsonDocument.Parse(output);
        Assert.Equal("say \"hi\"\n\u0001<b>&", document.RootElement.GetProperty("msg").GetString());
        Assert.StartsWith("System.InvalidOperationException: disk\ngone", document.RootElement.GetProperty("error").GetString(),
            StringComparison.Ordinal);
        Assert.Contains("<b>&", output, StringComparison.Ordinal);
    }

    private static FieldsScopeProvider RequestScopes()
    {
        var inner = new LoggerExternalScopeProvider();
        inner.Push(new AspNetCoreLikeScope());
        inner.Push(new RequestLogScope("abc123"));
        return new FieldsScopeProvider(inner, Service);
    }

    private static JsonElement WriteAndParse(JsonLogShape shape, string message, List<KeyValuePair<string, object?>> state,
        IExternalScopeProvider? scopes = null)
    {
        var output = FormatterHarness.Write(new JsonConsoleFormatter(shape, new FormatterHarness.FixedTime()), LogLevel.Information, message,
            state, scopes);
        Assert.EndsWith("}\n", output, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }
}
