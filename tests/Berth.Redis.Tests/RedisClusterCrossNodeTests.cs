namespace Berth.Redis.Tests;

/// <summary>Two nodes sharing state on a three-master Redis Cluster: keys spread over three masters, so a multi-key command across slots would fail with CROSSSLOT.</summary>
public sealed class RedisClusterCrossNodeTests(RedisClusterFixture redis) : RedisCrossNode<RedisClusterFixture>(redis);
