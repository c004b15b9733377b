namespace Berth.Redis.Tests;

/// <summary>The state contract on one redis-server.</summary>
public sealed class RedisStateConformanceTests(RedisFixture redis) : RedisStateConformance<RedisFixture>(redis);
