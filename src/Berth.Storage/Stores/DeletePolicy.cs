using Berth.Core.Errors;

namespace Berth.Storage.Stores;

/// <summary>registry:2's <c>storage.delete.enabled</c>: deletes are refused with 405 UNSUPPORTED unless enabled.</summary>
internal static class DeletePolicy
{
    public static void EnsureEnabled(StoreOptions options)
    {
        if (!options.DeleteEnabled)
        {
            throw new RegistryException(RegistryErrorCode.Unsupported,
                "deletion is disabled on this registry", "set storage.delete.enabled (REGISTRY_STORAGE_DELETE_ENABLED=true) to allow it");
        }
    }
}
