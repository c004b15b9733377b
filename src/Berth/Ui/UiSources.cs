using Berth.Core.Stores;
using Berth.Storage.Drivers;
using Berth.Storage.Usage;

namespace Berth.Ui;

/// <summary>What the page reads besides the served store.</summary>
/// <param name="Local">The registry's own store, below notifications and the mirror: looking is no pull and no upstream call.</param>
/// <param name="Driver">The storage driver the store is on, for the folder times of the repository summaries.</param>
/// <param name="Usage">The storage used, as the last mark or scan counted it.</param>
/// <param name="StartUsageScan">Starts the hourly count of storage used, if this node makes one and it is not running yet.</param>
internal sealed record UiSources(IRegistryStore Local, IStorageDriver Driver, UsageCache Usage, Action StartUsageScan);
