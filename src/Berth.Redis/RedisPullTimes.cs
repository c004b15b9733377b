using Berth.Core;
using Berth.Storage.Retention;
using StackExchange.Redis;

namespace Berth.Redis;

/// <summary>
/// Pull times shared by every node: one hash per repository (<c>berth:pulls:{&lt;name&gt;}</c>), field the tag or digest,
/// value the Unix time in milliseconds. A flush is one script that keeps the later time per field, so nodes flushing
/// the same repository at once lose nothing. One key per script: on a Cluster it runs on that key's master unchanged.
/// </summary>
internal sealed class RedisPullTimes(IDatabase database) : IPullTimeStore
{
    private const string RecordScript = """
        for i = 1, #ARGV, 2 do
          local old = redis.call('hget', KEYS[1], ARGV[i])
          if not old or tonumber(old) < tonumber(ARGV[i + 1]) then
            redis.call('hset', KEYS[1], ARGV[i], ARGV[i + 1])
          end
        end
        return 0
        """;

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> ReadAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var entries = await database.HashGetAllAsync(Key(repository));
            var pulls = new Dictionary<string, DateTimeOffset>(entries.Length, StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (entry.Value.TryParse(out long milliseconds))
                {
                    pulls[entry.Name.ToString()] = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
                }
            }

            return pulls;
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            throw RedisFailure.Wrap(e);
        }
    }

    public async Task RecordAsync(RepositoryName repository, IReadOnlyDictionary<string, DateTimeOffset> pulls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pulls);
        cancellationToken.ThrowIfCancellationRequested();
        if (pulls.Count == 0)
        {
            return;
        }

        var arguments = new RedisValue[pulls.Count * 2];
        var i = 0;
        foreach (var (key, pulledAt) in pulls)
        {
            arguments[i++] = key;
            arguments[i++] = pulledAt.ToUnixTimeMilliseconds();
        }

        try
        {
            await database.ScriptEvaluateAsync(RecordScript, [Key(repository)], arguments, CommandFlags.DemandMaster);
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            throw RedisFailure.Wrap(e);
        }
    }

    public async Task ForgetAsync(RepositoryName repository, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        if (keys.Count == 0)
        {
            return;
        }

        try
        {
            await database.HashDeleteAsync(Key(repository), [.. keys.Select(key => (RedisValue)key)], CommandFlags.DemandMaster);
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            throw RedisFailure.Wrap(e);
        }
    }

    private static RedisKey Key(RepositoryName repository) => "berth:pulls:{" + repository.Value + "}";
}
