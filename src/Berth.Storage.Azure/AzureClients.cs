using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace Berth.Storage.Azure;

/// <summary>
/// The SDK client for the configured container, with timeouts and retries chosen so that an object store that is
/// gone answers a request with 503 within seconds instead of holding it.
/// </summary>
internal static class AzureClients
{
    /// <summary>A TCP connect that takes longer than this is a dead or unreachable endpoint (the OS default is minutes).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// One try (sending a block of up to <see cref="AzureBlobWriter.BlockSize"/> and reading the answer's headers, or
    /// one read of a download) that takes longer is abandoned and retried: ample for 8 MiB, short enough to notice a hang.
    /// </summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first try: transport failures, 408, 429, 500, 502, 503, 504.</summary>
    public const int MaxRetries = 3;

    /// <summary>Exponential back-off from 0.25 s, capped at 2 s: a refused connection fails after about 2 s in all.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    public static BlobContainerClient Container(AzureStorageOptions options)
    {
        var clientOptions = new BlobClientOptions
        {
            Transport = new HttpClientTransport(new SocketsHttpHandler
            {
                ConnectTimeout = ConnectTimeout,
                // DNS changes (a failover of the account) are picked up by new connections.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            }),
            Retry =
            {
                MaxRetries = MaxRetries,
                Mode = RetryMode.Exponential,
                Delay = RetryDelay,
                MaxDelay = MaxRetryDelay,
                NetworkTimeout = NetworkTimeout,
            },
        };
        var service = options.Credential switch
        {
            AzureCredentialKind.SharedKey => new BlobServiceClient(options.ServiceUri,
                new StorageSharedKeyCredential(options.AccountName, options.AccountKey), clientOptions),
            AzureCredentialKind.ClientSecret => new BlobServiceClient(options.ServiceUri,
                new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret), clientOptions),
            _ => new BlobServiceClient(options.ServiceUri, new DefaultAzureCredential(), clientOptions),
        };
        return service.GetBlobContainerClient(options.Container);
    }
}
