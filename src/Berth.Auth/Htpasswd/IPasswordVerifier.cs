namespace Berth.Auth.Htpasswd;

/// <summary>The expensive check (bcrypt). A seam so tests can count how often it runs.</summary>
internal interface IPasswordVerifier
{
    bool Verify(string password, string hash);

    /// <summary>A hash of a random password at <paramref name="cost"/>: checked against for unknown users.</summary>
    string HashRandom(int cost);
}
