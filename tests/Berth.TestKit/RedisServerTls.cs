namespace Berth.TestKit;

/// <summary>The files a client needs to reach a TLS <see cref="RedisServer"/>: the CA, and a client certificate and key.</summary>
public sealed record RedisServerTls(string CaCertificate, string ClientCertificate, string ClientKey);
