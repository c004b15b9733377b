namespace Berth.Storage.Gc;

/// <summary>
/// The collection stopped because it could not tell what something references (a stored manifest it cannot read).
/// Sweeping on a guess could delete layers still in use, so it stops instead, as registry:2 does.
/// </summary>
public sealed class GarbageCollectionException : Exception
{
    public GarbageCollectionException()
    {
    }

    public GarbageCollectionException(string message) : base(message)
    {
    }

    public GarbageCollectionException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
