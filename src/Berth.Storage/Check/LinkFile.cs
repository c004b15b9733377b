using System.Text;
using Berth.Core;
using Berth.Storage.Drivers;

namespace Berth.Storage.Check;

/// <summary>
/// A link file as the check sees it: absent, present with a digest, or present with something else (which
/// <see cref="Layout.Links.ReadAsync"/> folds into absent, and the check must tell apart).
/// </summary>
internal readonly record struct LinkFile(bool Exists, Digest? Target, string Text)
{
    public static async Task<LinkFile> ReadAsync(IStorageDriver driver, StoragePath path, CancellationToken cancellationToken)
    {
        var bytes = await driver.ReadAllAsync(path, cancellationToken);
        if (bytes is null)
        {
            return new LinkFile(false, null, string.Empty);
        }

        // As Links.ReadAsync: a trailing newline from a hand-made link is tolerated.
        var text = Encoding.ASCII.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 256))).Trim();
        return new LinkFile(true, Digest.TryParse(text, out var digest) ? digest : null, text);
    }

    /// <summary>Whether the link exists and names exactly <paramref name="digest"/>.</summary>
    public bool Names(Digest digest) => Target == digest;
}
