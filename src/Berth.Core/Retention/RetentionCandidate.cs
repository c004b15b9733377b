namespace Berth.Core.Retention;

/// <summary>A tag as retention sees it.</summary>
/// <param name="PushedAt">When the tag's current link was written: its last push.</param>
/// <param name="PulledAt">Its last pull as recorded (GET of the manifest by this tag or its digest); null when never.</param>
/// <param name="ImmutableBy">The <c>storage.immutabletags</c> rule that makes the tag immutable (its key), or null.</param>
public sealed record RetentionCandidate(Tag Tag, Digest Digest, DateTimeOffset PushedAt, DateTimeOffset? PulledAt, string? ImmutableBy = null);
