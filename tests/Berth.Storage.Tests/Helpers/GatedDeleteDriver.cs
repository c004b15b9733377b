using Berth.Storage.Drivers;

namespace Berth.Storage.Tests.Helpers;

/// <summary>
/// A driver that holds the first delete of <paramref name="gated"/> until the test opens the gate, so a test can put
/// another request exactly between a reader's check and its delete.
/// </summary>
public sealed class GatedDeleteDriver(IStorageDriver inner, StoragePath gated) : DelegatingDriver(inner)
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the gated delete has been called and is waiting.</summary>
    public Task Reached => _reached.Task;

    public void Open() => _open.TrySetResult();

    public override async Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path == gated && _reached.TrySetResult())
        {
            await _open.Task.WaitAsync(cancellationToken);
        }

        await Inner.DeleteAsync(path, cancellationToken);
    }
}
