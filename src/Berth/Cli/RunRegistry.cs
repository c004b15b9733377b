using Berth.Configuration;
using Berth.Hosting.Privileges;

namespace Berth.Cli;

/// <summary>Runs the registry until cancelled and returns the exit code; <c>RegistryHost.RunAsync</c> in berth.</summary>
internal delegate Task<int> RunRegistry(RegistryConfiguration configuration, ServiceUser? user, CancellationToken cancellationToken);
