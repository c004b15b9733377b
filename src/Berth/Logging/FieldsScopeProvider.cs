using Microsoft.Extensions.Logging;

namespace Berth.Logging;

/// <summary>
/// A scope provider that puts <c>log.fields</c> after every other scope, so a line ends with what is the same on every
/// line (<c>request_id=... service=registry</c>). Scopes pushed in Main do not reach
/// Kestrel's connection threads (they start without the caller's execution context), so the fields are not pushed:
/// they are always there.
/// </summary>
internal sealed class FieldsScopeProvider(IExternalScopeProvider inner, LogFields fields) : IExternalScopeProvider
{
    public void ForEachScope<TState>(Action<object?, TState> callback, TState state)
    {
        inner.ForEachScope(callback, state);
        callback(fields, state);
    }

    public IDisposable Push(object? state) => inner.Push(state);
}
