using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http;
using Berth.Configuration;

namespace Berth.Cli;

/// <summary>
/// <c>berth healthcheck [config.yml]</c>: the container image's HEALTHCHECK. Reads the configuration exactly as
/// <c>serve</c> does (the file, then REGISTRY_* variables) and asks the registry on its own port for <c>/v2/</c>
/// over loopback. Any HTTP answer is healthy, 401 included: with auth on, <c>/v2/</c> answers 401 by design.
/// Without a file it takes the one the running <c>berth serve</c> was given (<see cref="ServeProcessLocator"/>), so
/// the image's fixed HEALTHCHECK line follows <c>docker run berth /my/config.yml</c>; with no server found, the
/// image's config file (<see cref="ContainerConfigFile"/>), else the built-in default.
/// </summary>
internal static class HealthcheckCommand
{
    public const string Name = "healthcheck";

    public const string Summary = "Exit 0 when the registry this configuration describes answers GET /v2/ on its port (for HEALTHCHECK), else 1.";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public static Command Create(IReadOnlyDictionary<string, string> environment)
    {
        var config = new Argument<string?>("config")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "The config.yml the registry serves. When omitted: the one the running berth serve was given (PID 1 in "
                + "the container), else /etc/distribution/config.yml or /etc/docker/registry/config.yml, else the built-in default.",
        };
        var command = new Command(Name, Summary) { config };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var invocation = parseResult.InvocationConfiguration;
            var configFile = parseResult.GetValue(config) ?? ServedConfigFile(environment);
            return RunAsync(configFile, environment, invocation.Output, invocation.Error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string? configFile, IReadOnlyDictionary<string, string> environment, TextWriter output,
        TextWriter error, CancellationToken cancellationToken)
    {
        HttpSettings http;
        try
        {
            http = ConfigurationLoader.Load(configFile, environment).Configuration.Http;
        }
        catch (ConfigurationException e)
        {
            await error.WriteLineAsync($"unhealthy: configuration error: {e.Message}");
            return 1;
        }

        var uri = ProbeUri(http);
        var serverCertificateSeen = false;
        using var client = new HttpClient(CreateHandler(http.UnixSocket, () => serverCertificateSeen = true), disposeHandler: true) { Timeout = ProbeTimeout };
        var target = http.UnixSocket is null ? uri.ToString() : $"{uri} over the unix socket {http.UnixSocket}";
        try
        {
            using var response = await client.GetAsync(uri, cancellationToken);
            await output.WriteLineAsync($"healthy: GET {target} answered {(int)response.StatusCode}");
            return 0;
        }
        catch (HttpRequestException) when (http.Tls is { RequiresClientCertificate: true } && serverCertificateSeen)
        {
            // Mutual TLS that requires a certificate: the probe has none, so the server ends the connection; but it
            // presented its own certificate first, which proves it is up and speaking TLS on its port: as much as can be
            // learned without a client key. How the refusal surfaces differs by version (inside the TLS 1.2 handshake,
            // as an alert after the TLS 1.3 one), so the certificate seen is the test, not the kind of error.
            await output.WriteLineAsync($"healthy: {target} presented its certificate and refused a client without one (mutual TLS)");
            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"unhealthy: GET {target}: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// The file the running server was given, else what it would have read (REGISTRY_CONFIGURATION_PATH, the same in
    /// the probe's environment as in the container's), else the image's rule.
    /// </summary>
    private static string? ServedConfigFile(IReadOnlyDictionary<string, string> environment) =>
        ServeProcessLocator.Find() is { } serving
            ? ConfigurationLoader.ResolvePath(serving.ConfigFile, environment)
            : ConfigurationLoader.ResolvePath(null, environment) ?? ContainerConfigFile.Resolve();

    /// <summary>
    /// <c>/v2/</c> on the listen port: loopback when the registry listens on every interface. On a unix socket the host
    /// is only what the request names (<c>localhost</c>, as curl --unix-socket sends); the connection goes to the socket.
    /// </summary>
    private static Uri ProbeUri(HttpSettings http)
    {
        var scheme = http.Tls is null ? "http" : "https";
        if (http.UnixSocket is not null)
        {
            return new Uri($"{scheme}://localhost{http.Prefix}/v2/");
        }

        var address = http.ListenAddress;
        if (address is null || address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }
        else if (address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.IPv6Loopback;
        }

        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        // Under http.prefix the API, and so its ping, is only found below the prefix.
        return new Uri($"{scheme}://{host}:{http.ListenPort}{http.Prefix}/v2/");
    }

    [SuppressMessage("Security", "CA5359:Do Not Disable Certificate Validation",
        Justification = "The probe talks to this registry over loopback: the certificate is for its public name, and who "
            + "answers is not in question; only whether it answers.")]
    private static SocketsHttpHandler CreateHandler(string? unixSocket, Action serverCertificateSeen)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = ProbeTimeout };
        if (unixSocket is not null)
        {
            handler.ConnectCallback = (_, cancellationToken) => UnixSocketConnection.OpenAsync(unixSocket, cancellationToken);
        }

        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is not null)
            {
                serverCertificateSeen();
            }

            return true;
        };
        return handler;
    }
}
