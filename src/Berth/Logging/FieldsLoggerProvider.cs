using Microsoft.Extensions.Logging;

namespace Berth.Logging;

/// <summary>Wraps the console logger provider so that every entry it writes carries <c>log.fields</c>.</summary>
internal sealed class FieldsLoggerProvider(ILoggerProvider inner, LogFields fields) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => inner.CreateLogger(categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(new FieldsScopeProvider(scopeProvider, fields));
        }
    }

    public void Dispose() => inner.Dispose();
}
