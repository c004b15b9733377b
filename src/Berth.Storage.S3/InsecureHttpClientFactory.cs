using Amazon.Runtime;

namespace Berth.Storage.S3;

/// <summary>
/// HTTP clients that accept any server certificate (<c>skipverify: true</c>, for self-signed test endpoints). The
/// SDK's own factory has no such switch, so the timeouts it would apply are applied here too.
/// </summary>
internal sealed class InsecureHttpClientFactory : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = clientConfig.ConnectTimeout ?? Timeout.InfiniteTimeSpan,
            AllowAutoRedirect = false,
        };
#pragma warning disable CA5359 // Certificates are not checked: that is what skipverify asks for.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        return new HttpClient(handler, disposeHandler: true)
        {
            Timeout = clientConfig.Timeout ?? TimeSpan.FromSeconds(100),
        };
    }
}
