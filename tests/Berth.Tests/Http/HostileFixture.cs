using System.Net;
using Xunit;

namespace Berth.Tests.Http;

/// <summary>
/// A registry holding one image (<see cref="Repository"/>:v1) and one upload in progress with
/// <see cref="UploadSize"/> bytes, for the hostile-input suite to aim at and to prove unchanged.
/// </summary>
public sealed class HostileFixture : BerthFixture
{
    public const string Repository = "seed/app";
    public const int UploadSize = 5;

    public string UploadId { get; private set; } = "";

    public string BlobDigest { get; private set; } = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var manifest = await Registry.PushRandomImageAsync(Repository, "v1");
        BlobDigest = manifest.Digest;
        var location = await Registry.StartUploadAsync(Repository);
        using var patched = await Http.PatchAsync(location, new ByteArrayContent(new byte[UploadSize]), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        UploadId = location.Segments[^1];
    }

    public StorageSnapshot Snapshot() => StorageSnapshot.Take(Root);

    /// <summary>Storage is as <paramref name="before"/> showed it, and the root's parent holds the root alone.</summary>
    public void AssertNothingWritten(StorageSnapshot before)
    {
        before.AssertUnchanged(Snapshot());
        Assert.Equal([Root], Directory.GetFileSystemEntries(Parent));
    }
}
