using Berth.Storage.Azure;

namespace Berth.Configuration;

/// <summary>
/// Binds <c>storage.azure</c>: registry:2's keys (<c>accountname</c>, <c>accountkey</c>, <c>container</c>,
/// <c>realm</c>) and registry:3's (<c>rootdirectory</c>, <c>serviceurl</c>, <c>credentials</c>).
/// </summary>
internal static class AzureSettingsBinder
{
    private const string DefaultRealm = "core.windows.net";

    private const string CopyPollIgnored = "ignored: Berth waits until a server-side copy is done";

    private static readonly string[] CredentialTypes = ["shared_key", "client_secret", "default_credentials"];

    public static StorageSettings Bind(ConfigSection section)
    {
        var accountName = Required(section, "accountname");
        var container = Required(section, "container");
        var realm = section.GetString("realm") is { Length: > 0 } givenRealm ? givenRealm : DefaultRealm;
        var options = new AzureStorageOptions
        {
            AccountName = accountName,
            Container = container,
            ServiceUri = ServiceUri(section, accountName, realm),
            RootDirectory = section.GetString("rootdirectory") ?? "",
        };
        options = BindCredentials(section, options);
        WarnRegistry3Only(section);
        section.WarnUnknownKeys();
        return new StorageSettings { Driver = StorageDriverKind.Azure, ObjectStore = options };
    }

    /// <summary>
    /// registry:3 signs with the account key when one is given, else with <c>credentials</c>; registry:2 knows only the
    /// key. Berth asks for the key unless <c>credentials.type</c> names another kind, so a forgotten key is an error at
    /// start rather than an identity lookup that fails on the first request.
    /// </summary>
    private static AzureStorageOptions BindCredentials(ConfigSection section, AzureStorageOptions options)
    {
        var accountKey = section.GetString("accountkey") is { Length: > 0 } key ? key : null;
        var credentials = section.GetSection("credentials");
        var kind = credentials.GetChoice("type", CredentialTypes) switch
        {
            1 => AzureCredentialKind.ClientSecret,
            2 => AzureCredentialKind.DefaultCredentials,
            _ => AzureCredentialKind.SharedKey,
        };
        var result = kind switch
        {
            AzureCredentialKind.SharedKey => options with { AccountKey = accountKey ?? Required(section, "accountkey") },
            AzureCredentialKind.ClientSecret => options with
            {
                ClientId = Required(credentials, "clientid"),
                TenantId = Required(credentials, "tenantid"),
                ClientSecret = Required(credentials, "secret"),
            },
            _ => options,
        };
        if (kind != AzureCredentialKind.SharedKey && accountKey is not null)
        {
            section.Warn("accountkey", $"ignored: credentials.type is {CredentialTypes[(int)kind]}");
        }

        credentials.WarnUnknownKeys();
        return result with { Credential = kind };
    }

    private static Uri ServiceUri(ConfigSection section, string accountName, string realm)
    {
        var text = section.GetString("serviceurl");
        if (string.IsNullOrEmpty(text))
        {
            return new Uri($"https://{accountName}.blob.{realm}");
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ConfigurationException(section.KeyPath("serviceurl"), $"expected an http or https URL such as https://{accountName}.blob.{realm}, got '{text}'");
    }

    /// <summary>registry:3 keys that Berth reads but cannot honour; each is named in a warning.</summary>
    private static void WarnRegistry3Only(ConfigSection section)
    {
        section.Unimplemented("connectionstring", "set accountname, accountkey and serviceurl instead");
        // registry:3 polls a pending server-side copy this many times and this often, then aborts it; Berth polls
        // until the copy is done (a copy inside one account is normally done at once), bounded by the request.
        if (section.GetInt("copy_status_poll_max_retry", minimum: -1) is not null)
        {
            section.Warn("copy_status_poll_max_retry", CopyPollIgnored);
        }

        if (section.GetDuration("copy_status_poll_delay", positive: true) is not null)
        {
            section.Warn("copy_status_poll_delay", CopyPollIgnored);
        }
    }

    private static string Required(ConfigSection section, string key) =>
        section.GetString(key) is { Length: > 0 } value
            ? value
            : throw new ConfigurationException(section.KeyPath(key), "required by the azure storage driver");
}
