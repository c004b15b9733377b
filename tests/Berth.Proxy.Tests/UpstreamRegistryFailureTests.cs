using System.Net;
using System.Text;
using Berth.Core;
using Berth.Proxy.Upstream;

namespace Berth.Proxy.Tests;

/// <summary>What the upstream client makes of answers a cache must not take at face value.</summary>
public sealed class UpstreamRegistryFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TooManyRequests_Throttled_WithTheUpstreamsRetryAfter()
    {
        await using var upstream = new ScriptedUpstream(context =>
        {
            context.Response.StatusCode = 429;
            context.Response.AddHeader("Retry-After", "30");
            return Task.CompletedTask;
        });

        var failure = await FailAsync(upstream, client => client.HeadManifestAsync("library/nginx", "latest", Ct));

        Assert.Equal((UpstreamFailure.Throttled, TimeSpan.FromSeconds(30)), (failure.Failure, failure.RetryAfter));
    }

    [Theory]
    [InlineData(500, UpstreamFailure.Unavailable)]
    [InlineData(503, UpstreamFailure.Unavailable)]
    [InlineData(401, UpstreamFailure.Refused)]
    [InlineData(403, UpstreamFailure.Refused)]
    [InlineData(400, UpstreamFailure.Invalid)]
    public async Task ErrorStatus_TheFailureItMeans(int status, UpstreamFailure expected)
    {
        await using var upstream = new ScriptedUpstream(context =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });

        var failure = await FailAsync(upstream, client => client.GetManifestAsync("a", "b", Ct));

        Assert.Equal(expected, failure.Failure);
        Assert.Contains($"answered {status}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManifestNotMatchingItsDigestHeader_Invalid()
    {
        await using var upstream = new ScriptedUpstream(context => WriteAsync(context, "{\"schemaVersion\":2}", Digest.Compute("other"u8).ToString()));

        var failure = await FailAsync(upstream, client => client.GetManifestAsync("a", "latest", Ct));

        Assert.Equal(UpstreamFailure.Invalid, failure.Failure);
    }

    [Fact]
    public async Task ManifestNotMatchingTheDigestAsked_Invalid()
    {
        await using var upstream = new ScriptedUpstream(context => WriteAsync(context, "{\"schemaVersion\":2}", digestHeader: null));

        var failure = await FailAsync(upstream, client => client.GetManifestAsync("a", Digest.Compute("asked"u8).ToString(), Ct));

        Assert.Equal(UpstreamFailure.Invalid, failure.Failure);
    }

    [Fact]
    public async Task ManifestOverTheLimitWithoutALength_InvalidBeforeReadingItAll()
    {
        await using var upstream = new ScriptedUpstream(async context =>
        {
            context.Response.SendChunked = true;
            var chunk = new byte[1024 * 1024];
            for (var i = 0; i < 8; i++)
            {
                await context.Response.OutputStream.WriteAsync(chunk);
            }
        });

        var failure = await FailAsync(upstream, client => client.GetManifestAsync("a", "latest", Ct));

        Assert.Equal(UpstreamFailure.Invalid, failure.Failure);
    }

    [Fact]
    public async Task NoAnswerWithinTheTimeout_Unavailable()
    {
        var release = new TaskCompletionSource();
        await using var upstream = new ScriptedUpstream(_ => release.Task);
        try
        {
            var failure = await FailAsync(upstream, client => client.HeadManifestAsync("a", "latest", Ct), TimeSpan.FromMilliseconds(300));

            Assert.Equal(UpstreamFailure.Unavailable, failure.Failure);
            Assert.Contains("no answer within", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            release.SetResult();
        }
    }

    private static async Task<UpstreamException> FailAsync<T>(ScriptedUpstream upstream, Func<UpstreamRegistry, Task<T>> call, TimeSpan? timeout = null)
    {
        using var client = new UpstreamRegistry(upstream.BaseUri, credentials: null, timeout ?? TimeSpan.FromSeconds(30), TimeProvider.System);
        return await Assert.ThrowsAsync<UpstreamException>(() => call(client));
    }

    private static async Task WriteAsync(HttpListenerContext context, string body, string? digestHeader)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentType = UpstreamSeed.ManifestType;
        if (digestHeader is not null)
        {
            context.Response.AddHeader("Docker-Content-Digest", digestHeader);
        }

        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }
}
