using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Hosting.Tls;

/// <summary>
/// Mutual TLS (<c>http.tls.clientcas</c>): a client certificate is accepted when it chains to one of the configured
/// CAs, and only those: the system's trusted roots do not count, as with Go's <c>tls.Config.ClientCAs</c>.
/// </summary>
internal sealed partial class ClientCertificateValidator(X509Certificate2Collection authorities, ILogger logger)
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    /// <summary>A <see cref="RemoteCertificateValidationCallback"/>: false ends the handshake.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            LogRefused(logger, "no client certificate was presented");
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        // A CA bundle has no revocation service the registry could reach; Go's registry does not check either.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        if (presented is not null)
        {
            // Intermediates the client sent with its certificate.
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var client = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (chain.Build(client))
        {
            return true;
        }

        var reason = $"{client.Subject}: {string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))}";
        LogRefused(logger, reason);

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS client certificate refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
