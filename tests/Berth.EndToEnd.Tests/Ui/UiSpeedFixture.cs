using System.Diagnostics;
using System.Globalization;
using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Ui;

/// <summary>
/// berth over a large registry written on disk before it starts: 10,000 repositories (100 namespaces of 100) and
/// <c>big/tags</c> with 10,000 tags, each on its own manifest. Plus a chromium of its own.
/// </summary>
public sealed class UiSpeedFixture : IAsyncLifetime
{
    public const int Namespaces = 100;
    public const int RepositoriesPerNamespace = 100;
    public const int Tags = 10_000;
    public const string TagRepository = "big/tags";

    private readonly TempDirectory _work = new("berth-ui-speed");
    private BerthProcess? _berth;
    private UiBrowser? _browser;

    public BerthProcess Berth => _berth ?? throw new InvalidOperationException("not started");

    public UiBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    /// <summary>Every repository: the bulk ones and <see cref="TagRepository"/>.</summary>
    public static int Repositories => Namespaces * RepositoriesPerNamespace + 1;

    public async ValueTask InitializeAsync()
    {
        var root = _work.Combine("registry");
        var clock = Stopwatch.StartNew();
        WriteRegistry(root);
        TestContext.Current.SendDiagnosticMessage(string.Create(CultureInfo.InvariantCulture,
            $"wrote {Repositories} repositories and {Tags} tags on disk in {clock.ElapsedMilliseconds} ms"));
        _berth = await BerthProcess.StartAsync(root, cancellationToken: TestContext.Current.CancellationToken);
        _browser = await UiBrowser.LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_berth is not null)
        {
            await _berth.DisposeAsync();
            TestContext.Current.SendDiagnosticMessage("----- berth (ui speed) logged -----\n" + _berth.Output);
        }

        _work.Dispose();
    }

    private static void WriteRegistry(string root)
    {
        var layout = new BulkRegistryLayout(root);
        var shared = layout.WriteManifest("1.0.0");
        for (var n = 0; n < Namespaces; n++)
        {
            for (var r = 0; r < RepositoriesPerNamespace; r++)
            {
                var repository = string.Create(CultureInfo.InvariantCulture, $"ns-{n:D2}/app-{r:D3}");
                layout.LinkBlobs(repository);
                layout.Tag(repository, "latest", shared);
            }
        }

        layout.LinkBlobs(TagRepository);
        for (var t = 0; t < Tags; t++)
        {
            var version = string.Create(CultureInfo.InvariantCulture, $"1.{t / 100}.{t % 100}");
            layout.Tag(TagRepository, version, layout.WriteManifest(version));
        }
    }
}
