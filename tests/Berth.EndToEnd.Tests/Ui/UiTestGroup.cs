namespace Berth.EndToEnd.Tests.Ui;

/// <summary>
/// The browser tests share one berth with sample content and one chromium, and run one after the other: two
/// browsers and servers at once would only compete for the machine's two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class UiTestGroup : ICollectionFixture<UiRegistryFixture>
{
    public const string Name = "ui";
}
