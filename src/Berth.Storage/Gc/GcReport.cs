using System.Globalization;
using Berth.Core;

namespace Berth.Storage.Gc;

/// <summary>
/// The collector's output, in registry:2's words so scripts that read its output keep working (without the
/// trailing space registry:2 leaves after "marking manifest").
/// </summary>
internal sealed class GcReport(TextWriter output)
{
    /// <summary>Quiet and online collections write nowhere: their lines, one per blob and manifest, are not even formatted.</summary>
    private readonly bool _silent = ReferenceEquals(output, TextWriter.Null);

    public Task RepositoryAsync(RepositoryName name) => _silent ? Task.CompletedTask : output.WriteLineAsync(name.Value);

    public Task MarkingManifestAsync(RepositoryName name, Digest digest) =>
        _silent ? Task.CompletedTask : output.WriteLineAsync($"{name.Value}: marking manifest {digest}");

    public Task MarkingBlobAsync(RepositoryName name, DigestKey blob) =>
        _silent ? Task.CompletedTask : output.WriteLineAsync($"{name.Value}: marking blob {blob}");

    /// <summary>Berth's own line, for an untagged manifest --delete-untagged keeps where registry:2 would delete it.</summary>
    public Task KeptUntaggedAsync(RepositoryName name, Digest digest, Digest keptBy, bool asReferrer) => output.WriteLineAsync(asReferrer
        ? $"{name.Value}: keeping untagged manifest {digest}: it refers to the kept manifest {keptBy} (a signature, SBOM or other referrer; registry:2 would delete it)"
        : $"{name.Value}: keeping untagged manifest {digest}: the kept index {keptBy} names it (a platform of a multi-arch image; registry:2 would delete it and break the index)");

    public Task ManifestEligibleAsync(Digest digest) => output.WriteLineAsync($"manifest eligible for deletion: {digest}");

    public async Task SummaryAsync(int marked, int blobs, int manifests)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{marked} blobs marked, {blobs} blobs and {manifests} manifests eligible for deletion"));
    }

    public Task BlobEligibleAsync(DigestKey blob) => _silent ? Task.CompletedTask : output.WriteLineAsync($"blob eligible for deletion: {blob}");
}
