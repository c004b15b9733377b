namespace Berth.Tests.Conformance;

/// <summary>
/// The specs of the suite that it skips itself under the settings that describe Berth, and why. They have no xunit
/// test; <see cref="SuiteShapeTests"/> checks that the run skips exactly these and nothing else.
/// </summary>
internal static class NotApplicableSpecs
{
    public const string TagNameFromEnvironment = "Pull_Setup_TagNameFromEnvironment";
    public const string TagsFromEnvironment = "Discovery_Setup_TagsFromEnvironment";
    public const string MountFollowUpAfter202 = "Push_Mount_NonexistentBlob_ReturnsSession";
    public const string AutomaticCrossmountEnabled = "Push_Mount_AutomaticWithoutFromEnabled_Returns201";

    public static IReadOnlyDictionary<string, string> Reasons { get; } = new Dictionary<string, string>
    {
        [TagNameFromEnvironment] = "runs only when OCI_TAG_NAME names a tag in a registry the suite did not push to",
        [TagsFromEnvironment] = "runs only when OCI_TAG_LIST names tags already in the registry",
        [MountFollowUpAfter202] = "checks the fallback session of a mount that answered 202; Berth mounts (201), and the 201 follow-up runs instead",
        [AutomaticCrossmountEnabled] = "for registries that mount without 'from'; Berth never does (it would reveal other repositories' blobs), and the 'disabled' spec runs",
    };
}
