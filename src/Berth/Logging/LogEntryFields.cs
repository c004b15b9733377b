using Microsoft.Extensions.Logging;

namespace Berth.Logging;

/// <summary>
/// The key/value fields of one log entry, as every Berth format writes them: <c>log.fields</c> and Berth's scopes
/// (the request id) first, then the entry's own properties.
/// </summary>
internal static class LogEntryFields
{
    private const string OriginalFormat = "{OriginalFormat}";

    /// <summary>
    /// Calls <paramref name="field"/> for every scope field. ASP.NET Core's own scopes (the connection id, the request
    /// path and its TraceIdentifier) are left out: the access line and <c>request_id</c> say the same once per request,
    /// and printed on every entry they made a line four scopes long. Berth pushes no scope of an ASP.NET type.
    /// </summary>
    public static void ForEachScopeField<TArg>(IExternalScopeProvider? scopes, Action<TArg, string, object?> field, TArg arg)
    {
        scopes?.ForEachScope(static (scope, state) =>
        {
            if (scope is null || IsFrameworkScope(scope))
            {
                return;
            }

            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                ForEachPair(pairs, state.field, state.arg);
            }
            else
            {
                state.field(state.arg, "scope", scope.ToString());
            }
        }, (field, arg));
    }

    /// <summary>Calls <paramref name="field"/> for every property of the entry's state but its message template.</summary>
    public static void ForEachStateField<TState, TArg>(TState state, Action<TArg, string, object?> field, TArg arg)
    {
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            ForEachPair(pairs, field, arg);
        }
    }

    private static void ForEachPair<TArg>(IEnumerable<KeyValuePair<string, object?>> pairs, Action<TArg, string, object?> field, TArg arg)
    {
        foreach (var (key, value) in pairs)
        {
            if (key != OriginalFormat)
            {
                field(arg, key, value);
            }
        }
    }

    private static bool IsFrameworkScope(object scope) =>
        scope.GetType().Namespace?.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal) == true;
}
