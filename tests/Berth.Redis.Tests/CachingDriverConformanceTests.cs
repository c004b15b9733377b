namespace Berth.Redis.Tests;

/// <summary>The link-caching driver's conformance on one redis-server.</summary>
public sealed class CachingDriverConformanceTests(RedisFixture redis) : CachingDriverConformance<RedisFixture>(redis);
