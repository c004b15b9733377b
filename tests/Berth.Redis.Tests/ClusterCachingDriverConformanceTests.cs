namespace Berth.Redis.Tests;

/// <summary>The link-caching driver's conformance on a three-master Redis Cluster: keys spread over three masters, so a multi-key command across slots would fail with CROSSSLOT.</summary>
public sealed class ClusterCachingDriverConformanceTests(RedisClusterFixture redis) : CachingDriverConformance<RedisClusterFixture>(redis);
