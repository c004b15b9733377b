using Berth.Storage.Drivers;

namespace Berth.Storage.Azure;

/// <summary>The bound <c>storage.azure</c> section; makes the driver.</summary>
public sealed record AzureStorageOptions : IStorageDriverFactory
{
    /// <summary><c>accountname</c></summary>
    public required string AccountName { get; init; }

    /// <summary><c>container</c>: made on the first write if missing, as registry:2 makes it at start.</summary>
    public required string Container { get; init; }

    /// <summary>The account's blob endpoint: <c>serviceurl</c>, else <c>https://&lt;accountname&gt;.blob.&lt;realm&gt;</c>.</summary>
    public required Uri ServiceUri { get; init; }

    public AzureCredentialKind Credential { get; init; } = AzureCredentialKind.SharedKey;

    /// <summary><c>accountkey</c>, for <see cref="AzureCredentialKind.SharedKey"/>.</summary>
    public string? AccountKey { get; init; }

    /// <summary><c>credentials.clientid</c>, <c>tenantid</c> and <c>secret</c>, for <see cref="AzureCredentialKind.ClientSecret"/>.</summary>
    public string? ClientId { get; init; }

    public string? TenantId { get; init; }

    public string? ClientSecret { get; init; }

    /// <summary><c>rootdirectory</c>: the prefix of every blob name (see <see cref="AzureBlobNames"/>).</summary>
    public string RootDirectory { get; init; } = "";

    public string DriverName => "azure";

    public string Location => $"container {Container} at {ServiceUri}, root '{RootDirectory}'";

    public IStorageDriver Create() => new AzureStorageDriver(AzureClients.Container(this), new AzureBlobNames(RootDirectory));

    /// <summary>Keeps the secrets out of logs and exception messages that print the settings.</summary>
    public override string ToString() =>
        $"azure {{ account = {AccountName}, container = {Container}, service = {ServiceUri}, credential = {Credential}, rootdirectory = '{RootDirectory}' }}";
}
