using System.Text;

namespace Berth.Auth.Tests.Support;

internal static class Basic
{
    public static string Header(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
}
