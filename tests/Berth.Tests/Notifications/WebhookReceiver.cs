using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Berth.Tests.Notifications;

/// <summary>A webhook endpoint on 127.0.0.1 (Kestrel): keeps every POST's Content-Type, headers and events, answers 200.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ReceivedEvent> _events;

    private WebhookReceiver(WebApplication app, List<ReceivedEvent> events)
    {
        _app = app;
        _events = events;
    }

    /// <summary>What arrived, in arrival order; shared with a receiver started again on the same port.</summary>
    public IReadOnlyList<ReceivedEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Listens on <paramref name="port"/> and returns once Kestrel is bound.</summary>
    /// <param name="events">Where to add what arrives: pass a stopped receiver's list to keep one record across restarts.</param>
    public static async Task<WebhookReceiver> StartAsync(int port, List<ReceivedEvent>? events = null)
    {
        var received = events ?? [];
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/events", async context =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            lock (received)
            {
                foreach (var item in body.RootElement.GetProperty("events").EnumerateArray())
                {
                    received.Add(new ReceivedEvent(context.Request.ContentType ?? "", context.Request.Headers.Authorization.ToString(),
                        item.Clone()));
                }
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await app.StartAsync();
        return new WebhookReceiver(app, received);
    }

    /// <summary>The shared record, for a receiver started after this one stops.</summary>
    public List<ReceivedEvent> Record => _events;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record ReceivedEvent(string ContentType, string Authorization, JsonElement Event)
{
    public string Action => Event.GetProperty("action").GetString()!;

    public JsonElement Target => Event.GetProperty("target");

    public string? TargetString(string name) => Target.TryGetProperty(name, out var value) ? value.GetString() : null;

    public string Method => Event.GetProperty("request").GetProperty("method").GetString()!;

    public string Id => Event.GetProperty("id").GetString()!;

    /// <summary>Action, repository, digest and tag in one line: what the order assertions compare.</summary>
    public string Summary => $"{Action} {TargetString("repository")} {TargetString("digest")} {TargetString("tag")}".TrimEnd();
}
