namespace Berth.Storage.Check;

/// <summary>The words reports use for each <see cref="IntegrityProblemKind"/>: a heading for people, a name for scripts.</summary>
public static class IntegrityProblemKinds
{
    /// <summary>The kebab-case name the JSON report carries, stable for scripts.</summary>
    public static string Name(this IntegrityProblemKind kind) => kind switch
    {
        IntegrityProblemKind.CorruptBlob => "corrupt-blob",
        IntegrityProblemKind.MissingBlob => "missing-blob",
        IntegrityProblemKind.DanglingTag => "dangling-tag",
        IntegrityProblemKind.DanglingLayerLink => "dangling-layer-link",
        IntegrityProblemKind.MalformedLink => "malformed-link",
        IntegrityProblemKind.UnparseableManifest => "unparseable-manifest",
        IntegrityProblemKind.MissingReferencedBlob => "missing-referenced-blob",
        IntegrityProblemKind.UnlinkedReference => "unlinked-reference",
        IntegrityProblemKind.MissingSubject => "missing-subject",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The heading the text report groups findings under.</summary>
    public static string Heading(this IntegrityProblemKind kind) => kind.Name().Replace('-', ' ');

    /// <summary>Whether the finding makes the check fail; notes are listed but leave the store clean.</summary>
    public static bool IsProblem(this IntegrityProblemKind kind) => kind != IntegrityProblemKind.MissingSubject;
}
