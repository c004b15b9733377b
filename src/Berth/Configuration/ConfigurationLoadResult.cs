namespace Berth.Configuration;

/// <summary>
/// A configuration that can be served, and what the user should hear about it at start: keys Berth does not
/// implement yet, unknown keys and ignored variables, each as <c>dotted.key: what happened</c>.
/// </summary>
internal sealed record ConfigurationLoadResult(RegistryConfiguration Configuration, IReadOnlyList<string> Warnings);
