namespace Berth.Redis.Tests.Events;

/// <summary>The shared event queue on one redis-server.</summary>
public sealed class RedisEventOutboxTests(RedisFixture redis) : RedisEventOutboxConformance<RedisFixture>(redis);
