using Berth.Configuration;
using Xunit;

namespace Berth.Tests.Configuration;

/// <summary><c>catalog.maxentries</c> and <c>tags.maxtags</c>, registry:3's page limits (1000 each by default).</summary>
public sealed class ListingLimitsConfigurationTests
{
    [Fact]
    public void Load_Absent_DefaultsOfRegistry3()
    {
        var limits = ConfigYaml.Bind(ConfigYaml.Minimal).Listings;

        Assert.Equal(1000, limits.CatalogMaxEntries);
        Assert.Equal(1000, limits.MaxTags);
    }

    [Fact]
    public void Load_InFile_Read()
    {
        var limits = ConfigYaml.Bind(ConfigYaml.Minimal + "\ncatalog:\n  maxentries: 50\ntags:\n  maxtags: 20\n").Listings;

        Assert.Equal(50, limits.CatalogMaxEntries);
        Assert.Equal(20, limits.MaxTags);
    }

    [Fact]
    public void Load_FromEnvironment_Read()
    {
        var limits = ConfigYaml.Bind(ConfigYaml.Minimal, ("REGISTRY_CATALOG_MAXENTRIES", "7"), ("REGISTRY_TAGS_MAXTAGS", "3")).Listings;

        Assert.Equal(7, limits.CatalogMaxEntries);
        Assert.Equal(3, limits.MaxTags);
    }

    [Fact]
    public void Load_Zero_TheDefaultAsInRegistry3()
    {
        var limits = ConfigYaml.Bind(ConfigYaml.Minimal + "\ncatalog:\n  maxentries: 0\ntags:\n  maxtags: 0\n").Listings;

        Assert.Equal(ListingLimits.DefaultLimit, limits.CatalogMaxEntries);
        Assert.Equal(ListingLimits.DefaultLimit, limits.MaxTags);
    }

    [Theory]
    [InlineData("catalog:\n  maxentries: -1", "catalog.maxentries")]
    [InlineData("catalog:\n  maxentries: many", "catalog.maxentries")]
    [InlineData("tags:\n  maxtags: 1.5", "tags.maxtags")]
    [InlineData("tags:\n  maxtags: [1]", "tags.maxtags")]
    public void Load_NotAWholeNumber_NamesKey(string section, string key)
    {
        Assert.Equal(key, ConfigYaml.Error(ConfigYaml.Minimal + "\n" + section + "\n").Key);
    }

    [Fact]
    public void Load_Registry3Keys_NoWarning()
    {
        var yaml = ConfigYaml.Minimal + "\n  tag:\n    concurrencylimit: 8\ncatalog:\n  maxentries: 10\ntags:\n  maxtags: 10\n";

        Assert.Empty(ConfigYaml.Load(yaml).Warnings);
    }

    [Fact]
    public void Load_TagConcurrencyLimitNegative_NamesKey()
    {
        Assert.Equal("storage.tag.concurrencylimit", ConfigYaml.Error(ConfigYaml.Minimal + "\n  tag:\n    concurrencylimit: -2\n").Key);
    }
}
