using System.Globalization;
using Berth.Storage.Usage;

namespace Berth.Cli;

/// <summary>
/// <c>garbage-collect --usage</c>: storage used per repository as the collection's mark counted it, the repository using
/// the most unique bytes (what deleting it would free) first, in exact bytes for scripts, then the totals.
/// </summary>
internal static class UsageTable
{
    private const string Repository = "REPOSITORY";
    private const string Unique = "UNIQUE";
    private const string Shared = "SHARED";

    public static async Task WriteAsync(TextWriter output, StorageUsage usage)
    {
        var rows = usage.Repositories
            .OrderByDescending(repository => repository.UniqueBytes)
            .ThenBy(repository => repository.Repository.Value, StringComparer.Ordinal)
            .Select(repository => (Name: repository.Repository.Value, Unique: Bytes(repository.UniqueBytes), Shared: Bytes(repository.SharedBytes)))
            .ToList();
        var nameWidth = rows.Select(row => row.Name.Length).Append(Repository.Length).Max();
        var uniqueWidth = rows.Select(row => row.Unique.Length).Append(Unique.Length).Max();
        var sharedWidth = rows.Select(row => row.Shared.Length).Append(Shared.Length).Max();

        await output.WriteLineAsync();
        await output.WriteLineAsync($"{Repository.PadRight(nameWidth)}  {Unique.PadLeft(uniqueWidth)}  {Shared.PadLeft(sharedWidth)}");
        foreach (var (name, unique, shared) in rows)
        {
            await output.WriteLineAsync($"{name.PadRight(nameWidth)}  {unique.PadLeft(uniqueWidth)}  {shared.PadLeft(sharedWidth)}");
        }

        var uniqueTotal = usage.Repositories.Sum(repository => repository.UniqueBytes);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"total: {usage.Repositories.Count} repositories, {usage.BlobsInUse} blobs, {usage.BytesInUse} bytes in use ({Human(usage.BytesInUse)}): "
            + $"{uniqueTotal} unique to one repository, {usage.BytesInUse - uniqueTotal} shared (each shared blob once)"));
    }

    private static string Bytes(long bytes) => bytes.ToString(CultureInfo.InvariantCulture);

    private static string Human(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var (value, unit) = ((double)bytes, 0);
        while (value >= 1024 && unit < units.Length - 1)
        {
            (value, unit) = (value / 1024, unit + 1);
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
