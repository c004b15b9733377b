using Berth.Ui;
using Xunit;

namespace Berth.Tests.Ui;

/// <summary>The server's version-aware order, which must be the page's (<c>naturalCompare</c> in app.js gives the same).</summary>
public sealed class NaturalOrderTests
{
    [Fact]
    public void Order_Versions_NumbersAsNumbersBeforeText()
    {
        string[] tags = ["1.10", "1.9", "latest", "1.2", "v2", "v10", "1.9-rc1", "V3", "1.09"];

        var ordered = tags.Order(NaturalOrder.Instance).ToArray();

        Assert.Equal(["1.2", "1.09", "1.9", "1.9-rc1", "1.10", "latest", "v2", "V3", "v10"], ordered);
    }

    [Fact]
    public void Compare_SameText_Zero()
    {
        Assert.Equal(0, NaturalOrder.Instance.Compare("1.0-alpine", "1.0-alpine"));
    }
}
