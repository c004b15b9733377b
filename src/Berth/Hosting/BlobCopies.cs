using Berth.Configuration;
using Berth.Storage.BlobCache;
using Berth.Storage.Drivers;

namespace Berth.Hosting;

/// <summary>Puts <c>storage.cache.blobs</c> in front of the served driver, and opens its folder once berth runs as its user.</summary>
internal static class BlobCopies
{
    public static IStorageDriver Serving(IStorageDriver served, NodeBlobCache? cache) =>
        cache is null ? served : new BlobCachingDriver(served, cache);

    /// <exception cref="ConfigurationException">The folder cannot be made or read, with the OS's reason.</exception>
    public static void Open(NodeBlobCache? cache)
    {
        try
        {
            cache?.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException("storage.cache.blobs.directory", $"cannot use {cache!.Directory}: {e.Message}");
        }
    }
}
