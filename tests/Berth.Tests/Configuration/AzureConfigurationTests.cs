using Berth.Configuration;
using Berth.Storage.Azure;
using Xunit;

namespace Berth.Tests.Configuration;

/// <summary><c>storage.azure</c>: registry:2's and registry:3's keys, from the file and from REGISTRY_* variables.</summary>
public sealed class AzureConfigurationTests
{
    private const string Azure = """
        version: 0.1
        storage:
          azure:
            accountname: acct
            accountkey: a2V5
            container: images
        """;

    private static AzureStorageOptions Options(RegistryConfiguration configuration) =>
        Assert.IsType<AzureStorageOptions>(configuration.Storage.ObjectStore);

    [Fact]
    public void Load_Registry2Keys_SharedKeyOnTheDefaultRealm()
    {
        var (configuration, warnings) = ConfigYaml.Load(Azure);

        Assert.Empty(warnings);
        Assert.Equal(StorageDriverKind.Azure, configuration.Storage.Driver);
        Assert.Equal("azure", configuration.Storage.DriverName);
        var options = Options(configuration);
        Assert.Equal(AzureCredentialKind.SharedKey, options.Credential);
        Assert.Equal("a2V5", options.AccountKey);
        Assert.Equal("images", options.Container);
        Assert.Equal(new Uri("https://acct.blob.core.windows.net"), options.ServiceUri);
        Assert.Equal("", options.RootDirectory);
    }

    [Fact]
    public void Load_RealmAndRootDirectory_MakeEndpointAndPrefix()
    {
        var options = Options(ConfigYaml.Bind(Azure + "\n    realm: core.chinacloudapi.cn\n    rootdirectory: /registry/\n"));

        Assert.Equal(new Uri("https://acct.blob.core.chinacloudapi.cn"), options.ServiceUri);
        Assert.Equal("/registry/", options.RootDirectory);
    }

    [Fact]
    public void Load_ServiceUrl_OverridesRealm()
    {
        var options = Options(ConfigYaml.Bind(Azure + "\n    realm: ignored.example\n    serviceurl: http://127.0.0.1:10000/devstoreaccount1\n"));

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), options.ServiceUri);
    }

    [Fact]
    public void Load_NotAUrl_NamesServiceUrl()
    {
        var error = ConfigYaml.Error(Azure + "\n    serviceurl: ftp://host/x\n");

        Assert.Equal("storage.azure.serviceurl", error.Key);
    }

    [Theory]
    [InlineData("accountname")]
    [InlineData("accountkey")]
    [InlineData("container")]
    public void Load_RequiredKeyMissing_NamesIt(string key)
    {
        var yaml = string.Join('\n', Azure.Split('\n').Where(line => !line.TrimStart().StartsWith(key + ":", StringComparison.Ordinal)));

        var error = ConfigYaml.Error(yaml);

        Assert.Equal("storage.azure." + key, error.Key);
    }

    [Fact]
    public void Load_ClientSecretCredentials_BindsTheApplication()
    {
        var options = Options(ConfigYaml.Bind("""
            version: 0.1
            storage:
              azure:
                accountname: acct
                container: images
                credentials:
                  type: client_secret
                  clientid: app
                  tenantid: tenant
                  secret: s3cret
            """));

        Assert.Equal(AzureCredentialKind.ClientSecret, options.Credential);
        Assert.Equal(("app", "tenant", "s3cret"), (options.ClientId, options.TenantId, options.ClientSecret));
        Assert.Null(options.AccountKey);
        Assert.DoesNotContain("s3cret", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ClientSecretWithoutSecret_NamesIt()
    {
        var error = ConfigYaml.Error("version: 0.1\nstorage:\n  azure:\n    accountname: a\n    container: c\n    credentials:\n      type: client_secret\n      clientid: x\n      tenantid: y\n");

        Assert.Equal("storage.azure.credentials.secret", error.Key);
    }

    [Fact]
    public void Load_DefaultCredentials_NeedsNoKey()
    {
        var options = Options(ConfigYaml.Bind("version: 0.1\nstorage:\n  azure:\n    accountname: a\n    container: c\n    credentials:\n      type: default_credentials\n"));

        Assert.Equal(AzureCredentialKind.DefaultCredentials, options.Credential);
    }

    [Fact]
    public void Load_UnknownCredentialType_NamesIt()
    {
        var error = ConfigYaml.Error(Azure + "\n    credentials:\n      type: password\n");

        Assert.Equal("storage.azure.credentials.type", error.Key);
    }

    [Theory]
    [InlineData("connectionstring: DefaultEndpointsProtocol=https", "storage.azure.connectionstring")]
    [InlineData("copy_status_poll_max_retry: 10", "storage.azure.copy_status_poll_max_retry")]
    [InlineData("copy_status_poll_delay: 200ms", "storage.azure.copy_status_poll_delay")]
    [InlineData("colour: blue", "storage.azure.colour")]
    public void Load_KeyBerthDoesNotHonour_IsNamedInAWarning(string line, string key)
    {
        var (_, warnings) = ConfigYaml.Load(Azure + "\n    " + line + "\n");

        Assert.StartsWith(key + ":", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RegistryStorageAzureVariables_SwitchDriverWithParameters()
    {
        var options = Options(ConfigYaml.Bind(ConfigYaml.Minimal,
            ("REGISTRY_STORAGE", "azure"),
            ("REGISTRY_STORAGE_AZURE_ACCOUNTNAME", "devstoreaccount1"),
            ("REGISTRY_STORAGE_AZURE_ACCOUNTKEY", "a2V5"),
            ("REGISTRY_STORAGE_AZURE_CONTAINER", "registry"),
            ("REGISTRY_STORAGE_AZURE_SERVICEURL", "http://127.0.0.1:10000/devstoreaccount1"),
            ("REGISTRY_STORAGE_AZURE_ROOTDIRECTORY", "/berth")));

        Assert.Equal(("devstoreaccount1", "a2V5", "registry"), (options.AccountName, options.AccountKey, options.Container));
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), options.ServiceUri);
        Assert.Equal("/berth", options.RootDirectory);
    }

    [Fact]
    public void Load_VariableOnlyDriver_MissingContainerNamesIt()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal,
            ("REGISTRY_STORAGE", "azure"), ("REGISTRY_STORAGE_AZURE_ACCOUNTNAME", "a"), ("REGISTRY_STORAGE_AZURE_ACCOUNTKEY", "k"));

        Assert.Equal("storage.azure.container", error.Key);
    }
}
