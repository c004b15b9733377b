namespace Berth.Configuration;

/// <summary>
/// Binds <c>http.tls.*</c>. As in registry:2, TLS is on when a certificate is configured; the files themselves are
/// read when the listener starts (<c>TlsSetup</c>), where a bad file stops the start naming its key.
/// </summary>
internal static class TlsSettingsBinder
{
    public static TlsSettings? Bind(ConfigSection tls)
    {
        if (tls.Has("letsencrypt"))
        {
            // ACME needs the internet and port 443; serving plain HTTP instead would be worse than not starting.
            throw new ConfigurationException(tls.KeyPath("letsencrypt"),
                "not supported by Berth; obtain a certificate with an ACME client (certbot, acme.sh) and set http.tls.certificate "
                + "and http.tls.key: Berth picks up renewed files without a restart");
        }

        var certificate = NonEmpty(tls.GetString("certificate"));
        var key = NonEmpty(tls.GetString("key"));
        var clientCas = tls.GetStringList("clientcas") ?? [];
        var minimum = ReadMinimum(tls);
        var clientAuth = ReadClientAuth(tls, clientCas);
        var cipherSuites = ReadCipherSuites(tls, minimum);
        tls.WarnUnknownKeys();

        if (certificate is null && key is null && clientCas.Count == 0 && minimum is null && clientAuth is null)
        {
            return null;
        }

        if (certificate is null)
        {
            throw new ConfigurationException(tls.KeyPath("certificate"), "missing; TLS settings need a certificate file and its key file");
        }

        if (key is null)
        {
            throw new ConfigurationException(tls.KeyPath("key"), $"missing; the private key of {certificate} is needed to serve TLS");
        }

        if (clientCas.Any(string.IsNullOrWhiteSpace))
        {
            throw new ConfigurationException(tls.KeyPath("clientcas"), "expected a list of CA certificate files, got an empty entry");
        }

        return new TlsSettings
        {
            CertificatePath = certificate,
            KeyPath = key,
            ClientCas = clientCas,
            MinimumVersion = minimum ?? TlsMinimumVersion.Tls12,
            ClientAuth = clientAuth ?? TlsClientAuth.RequireAndVerifyClientCert,
            CipherSuites = cipherSuites,
        };
    }

    /// <summary>
    /// <c>ciphersuites</c>: null (the TLS library's defaults) when missing or empty. With <c>minimumtls: tls1.3</c> the
    /// names are still checked but, as in registry, have nothing to choose from: TLS 1.3 suites are not configurable.
    /// </summary>
    private static IReadOnlyList<System.Net.Security.TlsCipherSuite>? ReadCipherSuites(ConfigSection tls, TlsMinimumVersion? minimum)
    {
        var names = tls.GetStringList("ciphersuites");
        if (names is null || names.Count == 0)
        {
            return null;
        }

        var suites = TlsCipherSuiteNames.Parse(tls.KeyPath("ciphersuites"), names);
        if (minimum == TlsMinimumVersion.Tls13)
        {
            tls.Warn("ciphersuites", "has no effect with minimumtls tls1.3: TLS 1.3 cipher suites are not configurable");
            return null;
        }

        return suites;
    }

    private static TlsClientAuth? ReadClientAuth(ConfigSection tls, IReadOnlyList<string> clientCas)
    {
        TlsClientAuth? mode = tls.GetChoice("clientauth",
            "request-client-cert", "require-any-client-cert", "verify-client-cert-if-given", "require-and-verify-client-cert") switch
        {
            0 => TlsClientAuth.RequestClientCert,
            1 => TlsClientAuth.RequireAnyClientCert,
            2 => TlsClientAuth.VerifyClientCertIfGiven,
            3 => TlsClientAuth.RequireAndVerifyClientCert,
            _ => null,
        };
        if (mode is not null && clientCas.Count == 0)
        {
            // registry:3 asks for no client certificate without CAs, whatever the mode says; so does Berth.
            tls.Warn("clientauth", "has no effect without http.tls.clientcas; no client certificate is asked for");
        }

        return mode;
    }

    private static TlsMinimumVersion? ReadMinimum(ConfigSection tls)
    {
        var text = tls.GetString("minimumtls");
        if (text is "tls1.0" or "tls1.1")
        {
            // registry:2 still serves them; Berth refuses rather than downgrade quietly (RFC 8996 deprecates both, and
            // OpenSSL 3 at its default security level cannot negotiate them anyway).
            throw new ConfigurationException(tls.KeyPath("minimumtls"),
                $"{text} is obsolete (RFC 8996) and not served by Berth; use tls1.2 (the default) or tls1.3");
        }

        return tls.GetChoice("minimumtls", "tls1.2", "tls1.3") switch
        {
            0 => TlsMinimumVersion.Tls12,
            1 => TlsMinimumVersion.Tls13,
            _ => null,
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
