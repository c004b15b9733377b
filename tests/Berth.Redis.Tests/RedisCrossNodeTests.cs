namespace Berth.Redis.Tests;

/// <summary>Two nodes sharing state on one redis-server.</summary>
public sealed class RedisCrossNodeTests(RedisFixture redis) : RedisCrossNode<RedisFixture>(redis);
