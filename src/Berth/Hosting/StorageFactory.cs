using Berth.Configuration;
using Berth.Storage.Drivers;

namespace Berth.Hosting;

/// <summary>Makes the configured storage driver and proves it usable before berth accepts a request.</summary>
internal static class StorageFactory
{
    public static IStorageDriver Create(StorageSettings settings)
    {
        if (settings.Driver == StorageDriverKind.InMemory)
        {
            return new InMemoryDriver();
        }

        var driver = new FilesystemDriver(settings.RootDirectory);
        try
        {
            driver.EnsureWritable();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException("storage.filesystem.rootdirectory", $"cannot write to {driver.RootDirectory}: {e.Message}");
        }

        return driver;
    }
}
