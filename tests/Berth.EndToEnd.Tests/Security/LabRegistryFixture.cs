using Berth.TestKit;

namespace Berth.EndToEnd.Tests.Security;

/// <summary>
/// One lab registry per test class: berth over TLS with the lab's variables and a user moby/gordon. Tests share it
/// and keep apart by repository name; dispose stops berth and deletes every file.
/// </summary>
public sealed class LabRegistryFixture : IAsyncLifetime
{
    public const string User = "moby";
    public const string Password = "gordon";

    private SecureLab? _lab;
    private BerthProcess? _berth;

    internal SecureLab Lab => _lab ?? throw new InvalidOperationException("not started");

    public BerthProcess Berth => _berth ?? throw new InvalidOperationException("not started");

    public string CertDir => Lab.CertDir;

    public string Root => Lab.Root;

    public async ValueTask InitializeAsync()
    {
        _lab = await SecureLab.CreateAsync((User, Password));
        _berth = await _lab.StartBerthAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_berth is not null)
        {
            await _berth.DisposeAsync();
        }

        _lab?.Dispose();
    }
}
