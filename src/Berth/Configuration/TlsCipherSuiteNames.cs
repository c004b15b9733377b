using System.Net.Security;

namespace Berth.Configuration;

/// <summary>
/// <c>http.tls.ciphersuites</c>: the names registry takes (Go's, which are the IANA names .NET's
/// <see cref="TlsCipherSuite"/> uses too). As in Go, they choose among TLS 1.2 suites only; the TLS 1.3 names are
/// accepted and change nothing, because every TLS 1.3 suite stays on.
/// </summary>
internal static class TlsCipherSuiteNames
{
    /// <summary>registry's list, no more: a name it would refuse is refused here too, so a file works with both.</summary>
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        "TLS_RSA_WITH_AES_128_CBC_SHA",
        "TLS_RSA_WITH_AES_256_CBC_SHA",
        "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256",
    };

    /// <summary>The TLS 1.3 suites Go always offers; kept on whatever the list says so that TLS 1.3 keeps working.</summary>
    public static IReadOnlyList<TlsCipherSuite> Tls13 { get; } =
        [TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256];

    /// <summary>The suites named by <paramref name="names"/>, in their order; entry <c>i</c> is named <c>key.i</c> in errors.</summary>
    /// <exception cref="ConfigurationException">A name registry does not know.</exception>
    public static IReadOnlyList<TlsCipherSuite> Parse(string key, IReadOnlyList<string> names) =>
        [.. names.Select((name, i) => Known.Contains(name) && Enum.TryParse<TlsCipherSuite>(name, out var suite)
            ? suite
            : throw new ConfigurationException($"{key}.{i}", $"unknown cipher suite '{name}'; expected a name such as TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))];
}
