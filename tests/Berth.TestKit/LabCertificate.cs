namespace Berth.TestKit;

/// <summary>
/// The registry lab's certificate step, <c>openssl req -newkey rsa:BITS -nodes -sha256 -keyout domain.key -x509
/// -days 365 -out domain.crt</c>, with its prompts answered by <c>-subj</c> and names valid for loopback. openssl
/// writes the key readable by its owner only, as the lab's users get it.
/// </summary>
public static class LabCertificate
{
    /// <param name="bits">The lab says 4096; tests that only need a valid pair use 2048, which is quicker to make.</param>
    public static async Task MakeAsync(string keyFile, string certificateFile, int bits = 2048, CancellationToken cancellationToken = default) =>
        (await CommandRunner.RunAsync(Tools.Require("openssl", "openssl"),
            ["req", "-newkey", $"rsa:{bits}", "-nodes", "-sha256", "-keyout", keyFile, "-x509", "-days", "365", "-out", certificateFile,
             "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], cancellationToken: cancellationToken)).EnsureSuccess();
}
