// Temporary entry point until the CLI (System.CommandLine) lands: `berth serve` configured by REGISTRY_* only.
using System.Globalization;
using System.Net;
using Berth.Configuration;
using Berth.Hosting;

var env = Environment.GetEnvironmentVariables();
string? Get(string key) => env[key] as string;
var addr = Get("REGISTRY_HTTP_ADDR") ?? ":5000";
var colon = addr.LastIndexOf(':');
var host = addr[..colon];
var configuration = new RegistryConfiguration
{
    Storage = new StorageSettings
    {
        RootDirectory = Get("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY") ?? "/var/lib/registry",
        DeleteEnabled = string.Equals(Get("REGISTRY_STORAGE_DELETE_ENABLED"), "true", StringComparison.OrdinalIgnoreCase),
    },
    Http = new HttpSettings
    {
        Addr = addr,
        ListenAddress = host.Length == 0 ? null : IPAddress.Parse(host),
        ListenPort = int.Parse(addr[(colon + 1)..], CultureInfo.InvariantCulture),
    },
};
using var stop = new CancellationTokenSource();
try
{
    return await RegistryHost.RunAsync(configuration, [], stop.Token);
}
catch (ConfigurationException e)
{
    await Console.Error.WriteLineAsync("berth: configuration error: " + e.Message);
    return 1;
}
