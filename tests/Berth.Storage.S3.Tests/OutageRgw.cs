namespace Berth.Storage.S3.Tests;

/// <summary>A gateway of its own for the outage tests, which stop it.</summary>
public sealed class OutageRgw() : RgwBucketFixture("outage");
