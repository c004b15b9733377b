using System.Text.Json;

namespace Berth.Tests.Gc;

/// <summary>What a filesystem root holds, read from the files themselves, for tests that check a collection's result.</summary>
internal static class StoredBlobs
{
    /// <summary>Every blob under blobs/ with a data file, as "sha256:hex".</summary>
    public static SortedSet<string> Present(string root)
    {
        var blobs = Path.Combine(root, "docker", "registry", "v2", "blobs", "sha256");
        return new SortedSet<string>(Directory.Exists(blobs)
            ? Directory.EnumerateFiles(blobs, "data", SearchOption.AllDirectories).Select(data => "sha256:" + Path.GetFileName(Path.GetDirectoryName(data)))
            : [], StringComparer.Ordinal);
    }

    /// <summary>What the manifest revisions of every repository name, the manifests included: the mark, redone from the files.</summary>
    public static SortedSet<string> Referenced(string root)
    {
        var v2 = Path.Combine(root, "docker", "registry", "v2");
        var referenced = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var link in Directory.EnumerateFiles(Path.Combine(v2, "repositories"), "link", SearchOption.AllDirectories)
                     .Where(path => path.Contains("/_manifests/revisions/", StringComparison.Ordinal)))
        {
            var digest = File.ReadAllText(link).Trim();
            referenced.Add(digest);
            var data = Path.Combine(v2, "blobs", "sha256", digest[7..9], digest[7..], "data");
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(data));
            referenced.Add(manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!);
            foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
            {
                referenced.Add(layer.GetProperty("digest").GetString()!);
            }
        }

        return referenced;
    }
}
