using Berth.Storage.Drivers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Events.Tests;

public sealed class NotificationsTests
{
    [Theory]
    [InlineData("ci", "ci")]
    [InlineData("team-hook_2.v1", "team-hook_2.v1")]
    public void FolderOf_PlainName_IsTheName(string name, string folder) => Assert.Equal(folder, Notifications.FolderOf(name));

    [Theory]
    [InlineData("..")]
    [InlineData("a/../../etc")]
    [InlineData("CI hook (prod)")]
    public void FolderOf_OtherName_IsOneSafeSegmentPerName(string name)
    {
        var folder = Notifications.FolderOf(name);

        Assert.True(StoragePath.IsValidSegment(folder));
        Assert.StartsWith("endpoint-", folder, StringComparison.Ordinal);
        Assert.NotEqual(folder, Notifications.FolderOf(name + "x"));
    }

    [Fact]
    public async Task Create_DisabledEndpoint_HasNoQueue()
    {
        var settings = new NotificationSettings
        {
            Endpoints =
            [
                new EndpointSettings { Name = "on", Url = new Uri("http://x/") },
                new EndpointSettings { Name = "off", Url = new Uri("http://y/"), Disabled = true },
            ],
        };
        using var notifications = Notifications.Create(settings, new InMemoryDriver(), "node:5000", NullLoggerFactory.Instance, TimeProvider.System);
        await notifications.InitializeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["on"], notifications.Queued.Keys);
    }
}
