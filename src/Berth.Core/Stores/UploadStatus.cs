namespace Berth.Core.Stores;

/// <summary>An upload session and how many bytes it holds so far.</summary>
public sealed record UploadStatus(UploadId Id, long Size, DateTimeOffset StartedAt);
