using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Storage.Check;
using Berth.Storage.Drivers;

namespace Berth.Cli;

/// <summary>
/// <c>berth check --json</c>: one JSON document on stdout with the same findings as the text report, for scripts.
/// <c>path</c> is the storage path (as registry:2's layout names it), <c>file</c> the file on local disk or null.
/// Relaxed escaping: the document goes to a terminal or a script, never into HTML, and a detail should read as written.
/// </summary>
internal static class CheckJsonReport
{
    public static async Task WriteAsync(TextWriter output, IntegrityCheckResult result, IStorageDriver driver)
    {
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteBoolean("clean", result.IsClean);
            json.WriteNumber("problems", result.Problems);
            json.WriteNumber("notes", result.Notes);
            json.WriteNumber("repaired", result.Repaired);
            json.WriteNumber("repositories", result.Repositories);
            json.WriteNumber("blobs", result.Blobs);
            json.WriteNumber("bytes", result.Bytes);
            json.WriteStartArray("findings");
            foreach (var finding in result.Findings)
            {
                json.WriteStartObject();
                json.WriteString("repository", finding.Repository?.Value);
                json.WriteString("kind", finding.Kind.Name());
                json.WriteBoolean("problem", finding.Kind.IsProblem());
                json.WriteString("path", finding.Path.ToString());
                json.WriteString("file", driver.LocalPath(finding.Path));
                json.WriteString("detail", finding.Detail);
                json.WriteString("removed", finding.Removed?.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
