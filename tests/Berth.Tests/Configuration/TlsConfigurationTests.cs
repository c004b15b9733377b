using System.Net.Security;
using Berth.Configuration;
using Xunit;

namespace Berth.Tests.Configuration;

public sealed class TlsConfigurationTests
{
    private const string Tls = "\nhttp:\n  tls:\n    certificate: /certs/domain.crt\n    key: /certs/domain.key\n";

    [Fact]
    public void Load_NoTls_IsNull()
    {
        Assert.Null(ConfigYaml.Bind(ConfigYaml.Minimal).Http.Tls);
    }

    [Fact]
    public void Load_CertificateAndKey_DefaultToTls12WithoutClientCas()
    {
        var tls = ConfigYaml.Bind(ConfigYaml.Minimal + Tls).Http.Tls;

        Assert.NotNull(tls);
        Assert.Equal("/certs/domain.crt", tls.CertificatePath);
        Assert.Equal("/certs/domain.key", tls.KeyPath);
        Assert.Empty(tls.ClientCas);
        Assert.Equal(TlsMinimumVersion.Tls12, tls.MinimumVersion);
    }

    [Fact]
    public void Load_EveryKeyFromEnvironment_Binds()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal,
            ("REGISTRY_HTTP_TLS_CERTIFICATE", "/certs/domain.crt"), ("REGISTRY_HTTP_TLS_KEY", "/certs/domain.key"),
            ("REGISTRY_HTTP_TLS_MINIMUMTLS", "tls1.3"), ("REGISTRY_HTTP_TLS_CLIENTCAS", "[/certs/ca1.pem, /certs/ca2.pem]"));

        var tls = configuration.Http.Tls;
        Assert.NotNull(tls);
        Assert.Equal("/certs/domain.crt", tls.CertificatePath);
        Assert.Equal("/certs/domain.key", tls.KeyPath);
        Assert.Equal(["/certs/ca1.pem", "/certs/ca2.pem"], tls.ClientCas);
        Assert.Equal(TlsMinimumVersion.Tls13, tls.MinimumVersion);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Load_OneClientCaWithoutBrackets_IsAListOfOne()
    {
        var tls = ConfigYaml.Bind(ConfigYaml.Minimal + Tls + "    clientcas: /certs/ca.pem\n").Http.Tls;

        Assert.Equal(["/certs/ca.pem"], tls!.ClientCas);
    }

    [Theory]
    [InlineData("tls1.2", TlsMinimumVersion.Tls12)]
    [InlineData("tls1.3", TlsMinimumVersion.Tls13)]
    [InlineData("TLS1.3", TlsMinimumVersion.Tls13)]
    public void Load_MinimumTls_Binds(string value, TlsMinimumVersion expected)
    {
        Assert.Equal(expected, ConfigYaml.Bind(ConfigYaml.Minimal + Tls + $"    minimumtls: {value}\n").Http.Tls!.MinimumVersion);
    }

    [Theory]
    [InlineData("tls1.0", "obsolete")]
    [InlineData("tls1.1", "obsolete")]
    [InlineData("ssl3", "expected one of tls1.2, tls1.3")]
    public void Load_BadMinimumTls_NamesTheKey(string value, string message)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + Tls + $"    minimumtls: {value}\n");

        Assert.Equal("http.tls.minimumtls", error.Key);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("REGISTRY_HTTP_TLS_KEY", "/certs/domain.key", "http.tls.certificate")]
    [InlineData("REGISTRY_HTTP_TLS_CERTIFICATE", "/certs/domain.crt", "http.tls.key")]
    [InlineData("REGISTRY_HTTP_TLS_CLIENTCAS", "[/certs/ca.pem]", "http.tls.certificate")]
    [InlineData("REGISTRY_HTTP_TLS_MINIMUMTLS", "tls1.3", "http.tls.certificate")]
    public void Load_HalfATlsConfiguration_NamesWhatIsMissing(string variable, string value, string key)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal, (variable, value));

        Assert.Equal(key, error.Key);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LetsEncrypt_IsRefusedNamingTheKey()
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + "\nhttp:\n  tls:\n    letsencrypt:\n      cachefile: /le/cache\n      email: a@b.c\n");

        Assert.Equal("http.tls.letsencrypt", error.Key);
        Assert.Contains("http.tls.certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CipherSuitesInFile_BoundInOrderWithoutWarning()
    {
        var yaml = ConfigYaml.Minimal + Tls + "    ciphersuites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]\n";

        var (configuration, warnings) = ConfigYaml.Load(yaml);

        Assert.Equal([TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256],
            configuration.Http.Tls!.CipherSuites);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Load_CipherSuitesByVariable_Bound()
    {
        var tls = ConfigYaml.Bind(ConfigYaml.Minimal + Tls, ("REGISTRY_HTTP_TLS_CIPHERSUITES", "[TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]")).Http.Tls;

        Assert.Equal([TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256], tls!.CipherSuites);
    }

    [Fact]
    public void Load_NoCipherSuites_LibraryDefaults()
    {
        Assert.Null(ConfigYaml.Bind(ConfigYaml.Minimal + Tls + "    ciphersuites: []\n").Http.Tls!.CipherSuites);
    }

    [Theory]
    [InlineData("TLS_ECDHE_WITH_NONSENSE")]
    [InlineData("tls_ecdhe_ecdsa_with_aes_128_gcm_sha256")]
    [InlineData("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")] // .NET knows it; registry does not, so neither does Berth
    public void Load_UnknownCipherSuite_NamesTheEntry(string name)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + Tls, ("REGISTRY_HTTP_TLS_CIPHERSUITES", $"[TLS_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, {name}]"));

        Assert.Equal("http.tls.ciphersuites.2", error.Key);
        Assert.StartsWith($"http.tls.ciphersuites.2: unknown cipher suite '{name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CipherSuitesWithMinimumTls13_WarnedAndUnused()
    {
        var yaml = ConfigYaml.Minimal + Tls + "    minimumtls: tls1.3\n    ciphersuites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]\n";

        var (configuration, warnings) = ConfigYaml.Load(yaml);

        Assert.Null(configuration.Http.Tls!.CipherSuites);
        Assert.StartsWith("http.tls.ciphersuites: has no effect with minimumtls tls1.3", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ClientCasWithoutClientAuth_RequireAndVerify()
    {
        var tls = ConfigYaml.Bind(ConfigYaml.Minimal + Tls + "    clientcas: [/certs/ca.pem]\n").Http.Tls!;

        Assert.Equal(TlsClientAuth.RequireAndVerifyClientCert, tls.ClientAuth);
        Assert.True(tls.RequiresClientCertificate);
    }

    [Theory]
    [InlineData("request-client-cert", TlsClientAuth.RequestClientCert, false)]
    [InlineData("require-any-client-cert", TlsClientAuth.RequireAnyClientCert, true)]
    [InlineData("verify-client-cert-if-given", TlsClientAuth.VerifyClientCertIfGiven, false)]
    [InlineData("require-and-verify-client-cert", TlsClientAuth.RequireAndVerifyClientCert, true)]
    public void Load_ClientAuth_BindsFromFileAndEnvironment(string value, TlsClientAuth expected, bool requiresCertificate)
    {
        var fromFile = ConfigYaml.Load(ConfigYaml.Minimal + Tls + $"    clientcas: [/certs/ca.pem]\n    clientauth: {value}\n");
        var fromEnvironment = ConfigYaml.Load(ConfigYaml.Minimal + Tls + "    clientcas: [/certs/ca.pem]\n", ("REGISTRY_HTTP_TLS_CLIENTAUTH", value));

        foreach (var (configuration, warnings) in new[] { fromFile, fromEnvironment })
        {
            Assert.Equal(expected, configuration.Http.Tls!.ClientAuth);
            Assert.Equal(requiresCertificate, configuration.Http.Tls.RequiresClientCertificate);
            Assert.Empty(warnings);
        }
    }

    [Theory]
    [InlineData("no-client-cert")]
    [InlineData("verify")]
    public void Load_UnknownClientAuth_NamesTheKey(string value)
    {
        var error = ConfigYaml.Error(ConfigYaml.Minimal + Tls + "    clientcas: [/certs/ca.pem]\n", ("REGISTRY_HTTP_TLS_CLIENTAUTH", value));

        Assert.Equal("http.tls.clientauth", error.Key);
        Assert.Contains("require-and-verify-client-cert", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ClientAuthWithoutClientCas_WarnsThatNoCertificateIsAskedFor()
    {
        var (configuration, warnings) = ConfigYaml.Load(ConfigYaml.Minimal + Tls + "    clientauth: require-any-client-cert\n");

        Assert.False(configuration.Http.Tls!.RequiresClientCertificate);
        Assert.Equal(["http.tls.clientauth: has no effect without http.tls.clientcas; no client certificate is asked for"], warnings);
    }
}
