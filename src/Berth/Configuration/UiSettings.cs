namespace Berth.Configuration;

/// <summary><c>ui</c> (Berth's own section): the web page <c>berth serve</c> shows at <see cref="Path"/>.</summary>
public sealed record UiSettings
{
    public const string DefaultPath = "/";

    /// <summary>On by default; <c>ui.enabled: false</c> removes the page, its assets and its API entirely.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Where the page is, under <c>http.prefix</c>; always starts and ends with <c>/</c>.</summary>
    public string Path { get; init; } = DefaultPath;
}
