using System.Text;
using Berth.Core;
using Berth.Storage.Drivers;

namespace Berth.Storage.Layout;

/// <summary>Reads and writes registry:2 link files: the digest as text, no newline.</summary>
public static class Links
{
    /// <returns>The digest, or null if the link is missing or does not hold a valid digest.</returns>
    public static async Task<Digest?> ReadAsync(this IStorageDriver driver, StoragePath link, CancellationToken cancellationToken)
    {
        var bytes = await driver.ReadAllAsync(link, cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        // registry:2 never writes a newline, but hand-made or other tools' links may carry one.
        return Digest.TryParse(Encoding.ASCII.GetString(bytes).Trim(), out var digest) ? digest : null;
    }

    public static Task WriteLinkAsync(this IStorageDriver driver, StoragePath link, Digest digest, CancellationToken cancellationToken) =>
        driver.WriteAllAsync(link, Encoding.ASCII.GetBytes(digest.ToString()), cancellationToken);
}
