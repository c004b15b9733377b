using Berth.Core.Errors;

namespace Berth.Core.Tests;

/// <summary>Asserts the protocol failure a call raises, since the code and status are what clients see.</summary>
internal static class RegistryAssert
{
    public static RegistryException Throws(RegistryErrorCode code, Action action, int? status = null)
    {
        var e = Assert.Throws<RegistryException>(action);
        Assert.Equal(code, e.Code);
        Assert.Equal(status ?? code.DefaultStatus(), e.Status);
        return e;
    }
}
