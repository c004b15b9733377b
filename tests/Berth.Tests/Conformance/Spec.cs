using Xunit;

namespace Berth.Tests.Conformance;

/// <summary>One Ginkgo <c>Specify</c>: the xunit test that reports it, the original text, and the body.</summary>
internal sealed record Spec(string TestName, string Text, Func<Task> Body);

/// <summary>What a spec did when the ordered run reached it.</summary>
internal sealed record SpecOutcome(Spec Spec, Exception? Failure, string? SkipReason, string Exchanges);

/// <summary>Thrown by a spec body that the Go suite would <c>g.Skip</c> (RunOnlyIf and friends).</summary>
internal sealed class SpecSkippedException(string reason) : Exception(reason);

/// <summary>The suite's skip helpers.</summary>
internal static class Run
{
    public static void OnlyIf(bool condition, string why = "you have skipped this test.")
    {
        if (!condition)
        {
            throw new SpecSkippedException(why);
        }
    }

    public static void OnlyIfNot(bool condition, string why = "you have skipped this test.") => OnlyIf(!condition, why);
}

/// <summary>The gomega matchers the suite applies to responses, with messages that show status and body.</summary>
internal static class Expect
{
    /// <summary><c>Equal(status)</c> or <c>SatisfyAny(Equal(a), Equal(b), ...)</c>.</summary>
    public static void Status(OciResponse response, params int[] allowed)
    {
        Assert.True(allowed.Contains(response.Status),
            $"expected status {string.Join(" or ", allowed)}, got {response.Status}: {response.Text}");
    }

    /// <summary><c>SatisfyAll(BeNumerically("&gt;=", 200), BeNumerically("&lt;", 300))</c>.</summary>
    public static void Success(OciResponse response) => SuccessOr(response);

    /// <summary>A 2xx, or one of <paramref name="others"/> (the teardown specs' 404/405).</summary>
    public static void SuccessOr(OciResponse response, params int[] others)
    {
        Assert.True(response.Status is >= 200 and < 300 || others.Contains(response.Status),
            $"expected a 2xx{string.Concat(others.Select(o => " or " + o))}, got {response.Status}: {response.Text}");
    }

    public static void Location(OciResponse response) =>
        Assert.False(string.IsNullOrEmpty(response.Header("Location")), $"expected a Location header ({response.Status})");

    /// <summary>The pull specs accept a missing Docker-Content-Digest but not a wrong one.</summary>
    public static void DigestHeaderIfPresent(OciResponse response, string digest)
    {
        var header = response.Header("Docker-Content-Digest");
        if (header.Length > 0)
        {
            Assert.Equal(digest, header);
        }
    }
}
