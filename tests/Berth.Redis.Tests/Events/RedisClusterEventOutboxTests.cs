namespace Berth.Redis.Tests.Events;

/// <summary>The shared event queue on a three-master Redis Cluster: the removal script's lease and stream keys must share a slot.</summary>
public sealed class RedisClusterEventOutboxTests(RedisClusterFixture redis) : RedisEventOutboxConformance<RedisClusterFixture>(redis);
