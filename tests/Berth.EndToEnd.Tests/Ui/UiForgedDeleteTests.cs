using System.Net;
namespace Berth.EndToEnd.Tests.Ui;

/// <summary>
/// Deletes the page did not send: a cross-site form or script can send neither the <c>X-Berth-Ui</c> header nor a
/// matching <c>Origin</c>, so the server refuses both with 403 DENIED and the tag stays.
/// </summary>
[Collection(UiTestGroup.Name)]
public sealed class UiForgedDeleteTests(UiRegistryFixture fixture)
{
    [Fact]
    public async Task DeleteTag_WithoutTheUiHeader_403DeniedTagStays()
    {
        using var response = await UiDelete.TagAsync(fixture.Berth.BaseUri, "forged/app", "v1", uiHeader: false);

        await UiDelete.AssertDeniedAsync(response);
        Assert.Equal(HttpStatusCode.OK, await RegistryHttp.ManifestStatusAsync(fixture.Berth.BaseUri, "forged/app", "v1"));
    }

    [Fact]
    public async Task DeleteTag_FromAForeignOrigin_403DeniedTagStays()
    {
        using var response = await UiDelete.TagAsync(fixture.Berth.BaseUri, "forged/app", "v1", uiHeader: true, origin: "http://evil.example");

        await UiDelete.AssertDeniedAsync(response);
        Assert.Equal(HttpStatusCode.OK, await RegistryHttp.ManifestStatusAsync(fixture.Berth.BaseUri, "forged/app", "v1"));
    }

    [Fact]
    public async Task DeleteImage_WithoutTheUiHeader_403DeniedImageStays()
    {
        using var response = await UiDelete.ImageAsync(fixture.Berth.BaseUri, "forged/app", fixture.Forged.Digest, uiHeader: false);

        await UiDelete.AssertDeniedAsync(response);
        Assert.Equal(HttpStatusCode.OK, await RegistryHttp.ManifestStatusAsync(fixture.Berth.BaseUri, "forged/app", fixture.Forged.Digest));
    }

    [Fact]
    public async Task DeleteTag_SameHostOriginWithoutHeader_StillDenied()
    {
        var origin = "http://" + fixture.Berth.HostPort;

        using var response = await UiDelete.TagAsync(fixture.Berth.BaseUri, "forged/app", "v1", uiHeader: false, origin: origin);

        await UiDelete.AssertDeniedAsync(response);
        Assert.Equal(HttpStatusCode.OK, await RegistryHttp.ManifestStatusAsync(fixture.Berth.BaseUri, "forged/app", "v1"));
    }
}
