using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Configuration;

namespace Berth.Hosting.Tls;

/// <summary>
/// Reads the PEM files registry:2 takes (<c>openssl req -x509 -newkey ... -keyout domain.key -out domain.crt</c>):
/// the server certificate, then any intermediates, and its private key. Every problem names the key at fault.
/// </summary>
internal static class PemCertificateLoader
{
    public const string CertificateKey = "http.tls.certificate";
    public const string KeyKey = "http.tls.key";
    public const string ClientCasKey = "http.tls.clientcas";

    /// <summary>The certificate with its key and chain, ready for every handshake until the files change.</summary>
    /// <exception cref="ConfigurationException">A file is unreadable, holds no PEM, or the key does not match.</exception>
    public static SslStreamCertificateContext LoadServerCertificate(string certificatePath, string keyPath)
    {
        var certificatePem = ReadText(CertificateKey, certificatePath);
        var chain = ParseCertificates(CertificateKey, certificatePath, certificatePem);
        var keyPem = ReadText(KeyKey, keyPath);
        CheckKeyLabel(keyPath, keyPem);
        X509Certificate2 leaf;
        try
        {
            // CreateFromPem takes the first CERTIFICATE block: the server's own, by the PEM chain convention.
            leaf = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new ConfigurationException(KeyKey, $"{keyPath} is not the private key of the certificate in {certificatePath} "
                + $"(or the key is malformed): {e.Message}");
        }

        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use the ephemeral key CreateFromPem makes; a PKCS#12 round trip gives it a usable one.
            using var ephemeral = leaf;
            leaf = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }

        // offline: the chain is what the file holds; no fetching of missing intermediates during a handshake.
        var intermediates = new X509Certificate2Collection(chain.Skip(1).ToArray());
        chain[0].Dispose();
        return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
    }

    /// <summary>Every certificate in the PEM bundles: the CAs client certificates must chain to.</summary>
    public static X509Certificate2Collection LoadClientCas(IEnumerable<string> paths)
    {
        var all = new X509Certificate2Collection();
        foreach (var path in paths)
        {
            all.AddRange(ParseCertificates(ClientCasKey, path, ReadText(ClientCasKey, path)));
        }

        return all;
    }

    /// <summary>Names the two common mistakes (not a key file; an encrypted key) before the generic "does not match".</summary>
    private static void CheckKeyLabel(string keyPath, string keyPem)
    {
        var rest = keyPem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            if (label.SequenceEqual("ENCRYPTED PRIVATE KEY"))
            {
                throw new ConfigurationException(KeyKey, $"{keyPath} is encrypted; the key must be unencrypted, as openssl req -nodes writes it");
            }

            if (label.EndsWith("PRIVATE KEY", StringComparison.Ordinal))
            {
                return;
            }

            rest = rest[fields.Location.End..];
        }

        throw new ConfigurationException(KeyKey, $"{keyPath} holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static X509Certificate2Collection ParseCertificates(string key, string path, string pem)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new ConfigurationException(key, $"{path} holds a malformed PEM certificate: {e.Message}");
        }

        return certificates.Count > 0
            ? certificates
            : throw new ConfigurationException(key, $"{path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    private static string ReadText(string key, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException(key, $"cannot read {path}: {e.Message}");
        }
    }
}
