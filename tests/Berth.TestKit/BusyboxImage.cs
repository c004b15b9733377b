namespace Berth.TestKit;

/// <summary>
/// A small runnable image made without any network, standing in for the lab's <c>nginx</c>: FROM scratch, one layer
/// with a static busybox and one with a web page, built by the classic builder (BuildKit would want a frontend image).
/// </summary>
public static class BusyboxImage
{
    public static async Task BuildAsync(DockerDaemon docker, string tag, CancellationToken cancellationToken = default)
    {
        using var context = new TempDirectory("berth-image");
        File.Copy(Tools.Busybox, context.Combine("busybox"));
        // A fresh page per build: two builds never share the top layer, so a pull really moves bytes.
        await File.WriteAllTextAsync(context.Combine("index.html"), $"<h1>berth {Guid.NewGuid()}</h1>\n", cancellationToken);
        await File.WriteAllTextAsync(context.Combine("Dockerfile"), """
            FROM scratch
            COPY busybox /bin/busybox
            COPY index.html /usr/share/nginx/html/index.html
            CMD ["/bin/busybox", "httpd", "-f", "-h", "/usr/share/nginx/html"]
            """, cancellationToken);
        await docker.RunAsync(["build", "--quiet", "--tag", tag, context.Path], cancellationToken: cancellationToken);
    }
}
