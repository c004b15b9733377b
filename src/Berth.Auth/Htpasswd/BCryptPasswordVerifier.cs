using System.Security.Cryptography;

namespace Berth.Auth.Htpasswd;

internal sealed class BCryptPasswordVerifier : IPasswordVerifier
{
    public static BCryptPasswordVerifier Instance { get; } = new();

    public bool Verify(string password, string hash)
    {
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            // Entries are format-checked on load; a hash the library still refuses matches no password.
            return false;
        }
    }

    public string HashRandom(int cost) =>
        BCrypt.Net.BCrypt.HashPassword(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)), cost);
}
