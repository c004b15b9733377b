namespace Berth.Storage.Drivers;

/// <summary>A file or folder in storage.</summary>
public sealed record StorageEntry(StoragePath Path, bool IsDirectory, long Size, DateTimeOffset ModifiedAt);
