namespace Berth.Redis.Tests;

/// <summary>The state contract on a three-master Redis Cluster: keys spread over three masters, so a multi-key command across slots would fail with CROSSSLOT.</summary>
public sealed class RedisClusterStateConformanceTests(RedisClusterFixture redis) : RedisStateConformance<RedisClusterFixture>(redis);
