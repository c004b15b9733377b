namespace Berth.Cli;

/// <summary>
/// The container image's two config paths and which one is in use when none is named. registry:3 reads
/// <see cref="Current"/>, registry:2 read <see cref="Legacy"/>. The image ships its default at <see cref="Current"/>
/// and makes <see cref="Legacy"/> a link to it, so a file mounted at either path (docker follows the link) replaces
/// the one default and both paths show it. The link is hidden only when a folder is mounted over
/// <c>/etc/docker/registry</c> (a Kubernetes ConfigMap, <c>-v ./conf:/etc/docker/registry</c>): a config.yml found
/// there that is not the image's link was put there on purpose, and wins. A ConfigMap's files are links of their own
/// (to <c>..data/config.yml</c>): the test is of the link's target, not of being a link. container/entrypoint.sh
/// applies the same rule.
/// </summary>
internal static class ContainerConfigFile
{
    public const string Current = "/etc/distribution/config.yml";

    public const string Legacy = "/etc/docker/registry/config.yml";

    /// <summary>The config file in use under <paramref name="root"/>: null when neither path exists (the built-in default).</summary>
    public static string? Resolve(string root = "/")
    {
        var current = Under(root, Current);
        var legacy = new FileInfo(Under(root, Legacy));
        if (File.Exists(legacy.FullName) && legacy.LinkTarget != current)
        {
            return legacy.FullName;
        }

        if (File.Exists(current))
        {
            return current;
        }

        return File.Exists(legacy.FullName) ? legacy.FullName : null;
    }

    private static string Under(string root, string path) => root == "/" ? path : Path.Join(root, path);
}
