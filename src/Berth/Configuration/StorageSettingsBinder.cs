using Berth.Storage.BlobCache;

namespace Berth.Configuration;

/// <summary>
/// Binds <c>storage.*</c>. As in registry:2 the section holds exactly one driver (any key other than the shared
/// <c>delete</c>, <c>cache</c>, <c>maintenance</c>, <c>redirect</c> and <c>tag</c>, Berth's <c>immutabletags</c> and zot's <c>retention</c>)
/// with its parameters.
/// </summary>
internal static class StorageSettingsBinder
{
    private const string DefaultRootDirectory = "/var/lib/registry";

    private static readonly string[] SharedKeys = ["delete", "cache", "maintenance", "redirect", "tag", "immutabletags", "retention"];

    /// <summary>registry:2 drivers Berth will have later; the config is right, Berth just cannot serve it yet.</summary>
    private static readonly string[] PlannedDrivers = ["gcs", "swift", "oss"];

    public static StorageSettings Bind(ConfigSection storage)
    {
        var drivers = storage.Keys.Where(k => !SharedKeys.Contains(k, StringComparer.Ordinal)).ToList();
        if (drivers.Count == 0)
        {
            throw new ConfigurationException("storage", "no storage driver configured; add for example 'filesystem: {rootdirectory: /var/lib/registry}'");
        }

        if (drivers.Count > 1)
        {
            throw new ConfigurationException("storage", $"exactly one storage driver must be configured, found {string.Join(", ", drivers)} "
                + "(a REGISTRY_STORAGE_<DRIVER>_* variable adds a driver; REGISTRY_STORAGE=<driver> switches to it)");
        }

        var settings = BindDriver(storage, drivers[0]);
        var delete = storage.GetSection("delete");
        settings = settings with { DeleteEnabled = delete.GetBool("enabled", fallback: false) };
        delete.WarnUnknownKeys();

        var (blobDescriptor, blobCopies) = BindCache(storage.GetSection("cache"), settings);
        settings = settings with { BlobDescriptorCache = blobDescriptor, BlobCache = blobCopies };
        var maintenance = storage.GetSection("maintenance");
        settings = settings with
        {
            UploadPurging = BindUploadPurging(maintenance),
            Gc = BindOnlineGc(maintenance.GetSection("gc")),
            ReadOnly = maintenance.GetSwitch("readonly", "enabled"),
        };
        maintenance.WarnUnknownKeys();
        var redirect = storage.GetSection("redirect");
        settings = settings with { RedirectDisabled = redirect.GetBool("disable", fallback: false) };
        redirect.WarnUnknownKeys();
        BindTag(storage.GetSection("tag"));
        settings = settings with { ImmutableTags = ImmutableTagsBinder.Bind(storage), Retention = RetentionBinder.Bind(storage) };
        storage.WarnUnknownKeys();
        return settings;
    }

    private static StorageSettings BindDriver(ConfigSection storage, string driver)
    {
        switch (driver)
        {
            case "filesystem":
                var filesystem = storage.GetSection(driver);
                var root = filesystem.GetString("rootdirectory") ?? DefaultRootDirectory;
                if (root.Length == 0)
                {
                    throw new ConfigurationException(filesystem.KeyPath("rootdirectory"), "must not be empty");
                }

                // registry:2 caps its goroutines in file system calls (default 100); Berth's calls run on the .NET thread
                // pool, which sizes itself, so there is nothing to cap: accepted without a warning.
                _ = filesystem.GetInt("maxthreads", minimum: 0);
                filesystem.WarnUnknownKeys();
                return new StorageSettings { Driver = StorageDriverKind.Filesystem, RootDirectory = root };

            case "inmemory":
                var inMemory = storage.GetSection(driver);
                inMemory.WarnUnknownKeys();
                return new StorageSettings { Driver = StorageDriverKind.InMemory };

            case "s3" or "s3-aws":
                return S3SettingsBinder.Bind(storage.GetSection(driver));

            case "azure":
                return AzureSettingsBinder.Bind(storage.GetSection(driver));

            case var planned when PlannedDrivers.Contains(planned, StringComparer.Ordinal):
                throw new ConfigurationException(storage.KeyPath(driver),
                    $"the {driver} storage driver is not supported yet; Berth serves filesystem, inmemory, s3 and azure");

            default:
                throw new ConfigurationException(storage.KeyPath(driver),
                    $"unknown storage driver '{driver}'; Berth serves filesystem, inmemory, s3 and azure");
        }
    }

    private static UploadPurgingSettings BindUploadPurging(ConfigSection maintenance)
    {
        // registry:2 insists on all four keys once uploadpurging is written; Berth takes the defaults for the rest.
        var purging = maintenance.GetSection("uploadpurging");
        var defaults = new UploadPurgingSettings();
        var settings = new UploadPurgingSettings
        {
            Enabled = purging.GetBool("enabled", fallback: defaults.Enabled),
            Age = purging.GetDuration("age", positive: true) ?? defaults.Age,
            Interval = purging.GetDuration("interval", positive: true) ?? defaults.Interval,
            DryRun = purging.GetBool("dryrun", fallback: defaults.DryRun),
        };
        purging.WarnUnknownKeys();
        return settings;
    }

    private static OnlineGcSettings BindOnlineGc(ConfigSection gc)
    {
        var defaults = new OnlineGcSettings();
        var window = gc.GetString("window");
        var settings = new OnlineGcSettings
        {
            Enabled = gc.GetBool("enabled", fallback: false),
            Interval = gc.GetDuration("interval", positive: true) ?? defaults.Interval,
            Grace = gc.GetDuration("grace", positive: false) ?? defaults.Grace,
            DeleteUntagged = gc.GetBool("deleteuntagged", fallback: false),
            Window = window is null
                ? null
                : DailyWindow.Parse(window) ?? throw new ConfigurationException(gc.KeyPath("window"),
                    $"'{window}' is not a daily window such as 01:00-06:00 (24-hour times, start and end differ)"),
        };
        gc.WarnUnknownKeys();
        return settings;
    }

    /// <summary>
    /// <c>storage.tag.concurrencylimit</c> (registry:3): how many goroutines registry:3 uses to find the tags of a
    /// manifest being deleted. Berth finds them in one pass over the repository's tags with no such knob, so the value
    /// is checked and then has nothing to set; it is accepted without a warning because nothing is lost by it.
    /// </summary>
    private static void BindTag(ConfigSection tag)
    {
        _ = tag.GetInt("concurrencylimit", minimum: 0);
        tag.WarnUnknownKeys();
    }

    /// <summary>
    /// <c>storage.cache.blobdescriptor</c>: <c>inmemory</c> (the registry:2 image's default) is simply true; <c>redis</c>
    /// means the redis section's shared state, which caches blob sizes and links whenever it is configured (the
    /// configuration binder warns when it is not). <c>storage.cache.blobs</c> is Berth's: see <see cref="BindBlobCopies"/>.
    /// </summary>
    private static (string? BlobDescriptor, NodeBlobCacheOptions? BlobCopies) BindCache(ConfigSection cache, StorageSettings storage)
    {
        var blobDescriptor = cache.GetString("blobdescriptor");
        if (blobDescriptor is not null and not "inmemory" and not "redis")
        {
            cache.Warn("blobdescriptor", $"'{blobDescriptor}' is not a cache Berth knows (inmemory, redis); the in-memory cache is used");
        }

        // The size of registry:2's blob descriptor cache; Berth stats blobs on disk and bounds its manifest cache itself.
        _ = cache.GetInt("blobdescriptorsize", minimum: 0);
        var blobCopies = BindBlobCopies(cache.GetSection("blobs"), storage);
        cache.WarnUnknownKeys();
        return (blobDescriptor, blobCopies);
    }

    /// <summary>
    /// <c>storage.cache.blobs.{directory, maxsize}</c>: copies of served blobs on this node's disk, for object stores
    /// only (a filesystem's blobs are on local disk already, so the section is then ignored with a warning).
    /// </summary>
    private static NodeBlobCacheOptions? BindBlobCopies(ConfigSection blobs, StorageSettings storage)
    {
        var directory = blobs.GetString("directory");
        var maxSize = blobs.GetString("maxsize");
        blobs.WarnUnknownKeys();
        if (directory is null)
        {
            if (maxSize is not null)
            {
                blobs.Warn("maxsize", "has no effect without storage.cache.blobs.directory");
            }

            return null;
        }

        if (storage.ObjectStore is null)
        {
            blobs.Warn("directory", $"the {storage.DriverName} driver keeps blobs on this node already; no copies are made");
            return null;
        }

        if (!Path.IsPathFullyQualified(directory))
        {
            throw new ConfigurationException(blobs.KeyPath("directory"), $"must be an absolute path, got '{directory}'");
        }

        return new NodeBlobCacheOptions
        {
            Directory = directory,
            MaxBytes = maxSize is null ? NodeBlobCacheOptions.DefaultMaxBytes
                : ByteSize.Parse(maxSize) ?? throw new ConfigurationException(blobs.KeyPath("maxsize"),
                    $"expected a size such as 20GiB, 500MiB or a number of bytes, got '{maxSize}'"),
        };
    }
}
