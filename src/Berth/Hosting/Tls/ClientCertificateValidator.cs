using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Berth.Hosting.Tls;

/// <summary>
/// Mutual TLS (<c>http.tls.clientcas</c> and <c>clientauth</c>). Whether a certificate is required is Kestrel's
/// <see cref="ClientCertificateMode"/>; whether it is verified is <c>clientauth</c>'s "verify" modes. A verified
/// certificate must chain to one of the configured CAs, and only those: the system's trusted roots do not count, as
/// with Go's <c>tls.Config.ClientCAs</c>.
/// </summary>
internal sealed partial class ClientCertificateValidator
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    private readonly X509Certificate2Collection _authorities;
    private readonly bool _verify;
    private readonly ILogger _logger;

    public ClientCertificateValidator(X509Certificate2Collection authorities, TlsClientAuth mode, ILogger logger)
    {
        _authorities = authorities;
        _logger = logger;
        Mode = mode is TlsClientAuth.RequireAnyClientCert or TlsClientAuth.RequireAndVerifyClientCert
            ? ClientCertificateMode.RequireCertificate
            : ClientCertificateMode.AllowCertificate;
        _verify = mode is TlsClientAuth.VerifyClientCertIfGiven or TlsClientAuth.RequireAndVerifyClientCert;
    }

    /// <summary>Every mode asks for a certificate in the handshake; this says whether one must come.</summary>
    public ClientCertificateMode Mode { get; }

    /// <summary>A <see cref="RemoteCertificateValidationCallback"/>: false ends the handshake.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            if (Mode == ClientCertificateMode.RequireCertificate)
            {
                LogRefused(_logger, "no client certificate was presented");
                return false;
            }

            return true;
        }

        // request-client-cert and require-any-client-cert take any certificate, as Go does: the registry makes no use of
        // who it names, so there is nothing to check it for.
        return !_verify || Verify(certificate, presented);
    }

    private bool Verify(X509Certificate certificate, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
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
        LogRefused(_logger, reason);

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS client certificate refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
