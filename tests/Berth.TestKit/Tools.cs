namespace Berth.TestKit;

/// <summary>
/// Finds the real client programs the end-to-end tests drive. A missing tool fails the test with the package
/// that provides it: scripts/test.sh installs them all, so a missing one is a broken machine, not a skip.
/// </summary>
public static class Tools
{
    public static string Skopeo => Require("skopeo", "skopeo");

    public static string Podman => Require("podman", "podman");

    public static string Dockerd => Require("dockerd", "docker.io");

    public static string DockerRegistry => Require("docker-registry", "docker-registry");

    public static string Busybox => Require("busybox", "busybox-static");

    public static string Rclone => Require("rclone", "rclone");

    /// <summary>The newer preinstalled CLI when present, else the one from Debian's docker.io.</summary>
    public static string DockerCli =>
        File.Exists("/usr/local/bin/docker") ? "/usr/local/bin/docker" : Require("docker", "docker.io");

    /// <summary>The full path of <paramref name="program"/> on PATH, or a failure naming the package.</summary>
    public static string Require(string program, string package)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var directories = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"]);
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"{program} is not installed: run scripts/test.sh, which installs it (apt-get install {package}).");
    }
}
