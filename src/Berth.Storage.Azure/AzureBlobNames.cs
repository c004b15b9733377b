using Berth.Storage.Drivers;

namespace Berth.Storage.Azure;

/// <summary>
/// Storage paths as blob names, the way distribution's azure driver names them, so either registry reads what the
/// other wrote. registry:3 (<c>blobName</c> in its azure.go): <c>rootdirectory</c> without trailing slashes, then the
/// path (which starts with '/'), then every leading '/' trimmed: <c>docker/registry/v2/...</c>, or
/// <c>&lt;root&gt;/docker/registry/v2/...</c>. registry:2 (2.8 and older) had no <c>rootdirectory</c> and used the
/// path as the blob name, leading slash included (<c>/docker/registry/v2/...</c>); the .NET SDK trims a leading
/// slash from blob names, so those names are not reachable through it and are not offered.
/// </summary>
internal sealed class AzureBlobNames
{
    private readonly string _rootPrefix;

    public AzureBlobNames(string rootDirectory)
    {
        var root = rootDirectory.Trim('/');
        _rootPrefix = root.Length == 0 ? "" : root + "/";
    }

    /// <summary>Where the root's children start: "" or "root/".</summary>
    public string RootPrefix => _rootPrefix;

    public string BlobName(StoragePath path) => _rootPrefix + path.Value;

    /// <summary>The name prefix shared by everything inside the folder <paramref name="path"/>.</summary>
    public string FolderPrefix(StoragePath path) => path.IsRoot ? _rootPrefix : _rootPrefix + path.Value + "/";

    /// <summary>The storage path of a blob or folder name found by a listing under the root; null for a name that no
    /// StoragePath can spell (written by something else), which the driver skips.</summary>
    public StoragePath? PathOf(string name)
    {
        var relative = name.StartsWith(_rootPrefix, StringComparison.Ordinal) ? name[_rootPrefix.Length..].TrimEnd('/') : null;
        if (string.IsNullOrEmpty(relative) || !relative.Split('/').All(StoragePath.IsValidSegment))
        {
            return null;
        }

        return StoragePath.Parse(relative);
    }
}
