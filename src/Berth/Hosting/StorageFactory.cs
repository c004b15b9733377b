using Berth.Configuration;
using Berth.Storage.Drivers;

namespace Berth.Hosting;

/// <summary>Makes the configured storage driver and proves it usable before berth accepts a request.</summary>
internal static class StorageFactory
{
    public static IStorageDriver Create(StorageSettings settings)
    {
        var driver = CreateUnchecked(settings);
        EnsureUsable(driver);
        return driver;
    }

    /// <summary>The driver, with nothing on disk touched yet: <c>serve</c> first gives up root, then checks it.</summary>
    public static IStorageDriver CreateUnchecked(StorageSettings settings) =>
        settings.ObjectStore?.Create()
        ?? (settings.Driver == StorageDriverKind.InMemory ? new InMemoryDriver() : new FilesystemDriver(settings.RootDirectory));

    /// <summary>Creates the root and proves it writable (<see cref="FilesystemDriver.EnsureWritable"/>).</summary>
    /// <exception cref="ConfigurationException">The root cannot be written, with the OS's reason.</exception>
    public static void EnsureUsable(IStorageDriver storage)
    {
        if (storage is not FilesystemDriver driver)
        {
            return;
        }

        try
        {
            driver.EnsureWritable();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException("storage.filesystem.rootdirectory", $"cannot write to {driver.RootDirectory}: {e.Message}");
        }
    }
}
