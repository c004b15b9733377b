using System.Globalization;
using Berth.Core;

namespace Berth.Storage.Gc;

/// <summary>
/// The collector's output, in registry:2's words so scripts that read its output keep working (without the
/// trailing space registry:2 leaves after "marking manifest").
/// </summary>
internal sealed class GcReport(TextWriter output)
{
    public Task RepositoryAsync(RepositoryName name) => output.WriteLineAsync(name.Value);

    public Task MarkingManifestAsync(RepositoryName name, Digest digest) => output.WriteLineAsync($"{name.Value}: marking manifest {digest}");

    public Task MarkingBlobAsync(RepositoryName name, Digest digest) => output.WriteLineAsync($"{name.Value}: marking blob {digest}");

    public Task ManifestEligibleAsync(Digest digest) => output.WriteLineAsync($"manifest eligible for deletion: {digest}");

    public async Task SummaryAsync(int marked, int blobs, int manifests)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{marked} blobs marked, {blobs} blobs and {manifests} manifests eligible for deletion"));
    }

    public Task BlobEligibleAsync(Digest digest) => output.WriteLineAsync($"blob eligible for deletion: {digest}");
}
