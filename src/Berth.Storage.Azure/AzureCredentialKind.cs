namespace Berth.Storage.Azure;

/// <summary>How the driver signs its requests: registry:3's <c>storage.azure.credentials.type</c>.</summary>
public enum AzureCredentialKind
{
    /// <summary>The account key (<c>accountkey</c>): the only kind that can sign the SAS URLs blob downloads redirect to.</summary>
    SharedKey,

    /// <summary>A Microsoft Entra application (<c>clientid</c>, <c>tenantid</c>, <c>secret</c>).</summary>
    ClientSecret,

    /// <summary>Azure.Identity's DefaultAzureCredential: environment, workload identity, managed identity, and so on.</summary>
    DefaultCredentials,
}
