using Berth.Cli;
using Berth.Core;
using Berth.Storage.Check;
using Berth.Storage.Drivers;
using Berth.Storage.Layout;
using Xunit;

namespace Berth.Tests.Cli;

/// <summary>The text report's layout on its own: sections, notes, --quiet, and progress on the other writer.</summary>
public sealed class CheckTextReportTests
{
    private static readonly RepositoryName App = RepositoryName.Parse("team/app");
    private static readonly Digest Subject = Digest.Compute("subject"u8);
    private static readonly Digest Layer = Digest.Compute("layer"u8);

    private static readonly IReadOnlyList<IntegrityProblem> Findings =
    [
        new(App, IntegrityProblemKind.MissingSubject, RegistryPaths.RevisionLink(App, Subject), "a note"),
        new(App, IntegrityProblemKind.DanglingLayerLink, RegistryPaths.LayerLink(App, Layer), "a problem", RegistryPaths.LayerLinkFolder(App, Layer)),
    ];

    [Fact]
    public async Task Report_ProblemsAndNotes_GroupedByKindWithPathDetailAndRemoval()
    {
        var (sections, progress) = (new StringWriter(), new StringWriter());
        var report = new CheckTextReport(sections, progress, new InMemoryDriver(), quiet: false);

        await report.RepositoryCheckedAsync(RepositoryName.Parse("other"), [], TestContext.Current.CancellationToken);
        await report.RepositoryCheckedAsync(App, Findings, TestContext.Current.CancellationToken);
        await report.ProgressAsync(1000, 123456, TestContext.Current.CancellationToken);

        Assert.Equal($"""
            other: ok
            team/app:
              dangling layer link (1):
                {RegistryPaths.LayerLink(App, Layer)}
                  a problem
                  removed {RegistryPaths.LayerLinkFolder(App, Layer)}
              missing subject (1, not a problem):
                {RegistryPaths.RevisionLink(App, Subject)}
                  a note

            """, sections.ToString());
        Assert.Equal("berth check: 1000 blobs (123456 bytes) hashed so far\n", progress.ToString());
    }

    [Fact]
    public async Task Report_Quiet_PrintsNoHealthySectionsNoNotesAndNoProgress()
    {
        var (sections, progress) = (new StringWriter(), new StringWriter());
        var report = new CheckTextReport(sections, progress, new InMemoryDriver(), quiet: true);

        await report.RepositoryCheckedAsync(RepositoryName.Parse("other"), [], TestContext.Current.CancellationToken);
        await report.RepositoryCheckedAsync(RepositoryName.Parse("noted"), [Findings[0]], TestContext.Current.CancellationToken);
        await report.BlobsCheckedAsync([], TestContext.Current.CancellationToken);
        await report.ProgressAsync(1000, 123456, TestContext.Current.CancellationToken);

        Assert.Equal("", sections.ToString());
        Assert.Equal("", progress.ToString());
    }
}
