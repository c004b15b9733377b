using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Notifications;

/// <summary>
/// A webhook endpoint on 127.0.0.1 (Kestrel): keeps every POST's Content-Type, headers and events, answers 200; or,
/// while <see cref="Available"/> is false, keeps nothing and answers 503, as an endpoint that is down.
/// </summary>
/// <remarks>
/// The outage is a switch rather than a stopped listener: a port given back to the system can be taken by another
/// test's server before the receiver binds it again, and the test would then fail for a reason of its own.
/// </remarks>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ReceivedEvent> _events;
    private volatile bool _available = true;

    private WebhookReceiver(WebApplication app, List<ReceivedEvent> events, int port)
    {
        _app = app;
        _events = events;
        Port = port;
    }

    /// <summary>The port the system gave the listener.</summary>
    public int Port { get; }

    /// <summary>Whether POSTs are kept and answered 200 (true) or refused with 503 (false).</summary>
    public bool Available
    {
        get => _available;
        set => _available = value;
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

    /// <summary>Listens on a port the system picks and returns once Kestrel is bound.</summary>
    public static async Task<WebhookReceiver> StartAsync()
    {
        List<ReceivedEvent> received = [];
        WebhookReceiver? receiver = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/events", async context =>
        {
            if (!receiver!.Available)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

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
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver = new WebhookReceiver(app, received, new Uri(address).Port);
        return receiver;
    }

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
