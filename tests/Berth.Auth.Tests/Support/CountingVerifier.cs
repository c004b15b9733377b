using Berth.Auth.Htpasswd;

namespace Berth.Auth.Tests.Support;

/// <summary>Real bcrypt, counted: evidence of when bcrypt ran, without timing anything.</summary>
internal sealed class CountingVerifier : IPasswordVerifier
{
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public bool Verify(string password, string hash)
    {
        Interlocked.Increment(ref _verifications);
        return BCryptPasswordVerifier.Instance.Verify(password, hash);
    }

    public string HashRandom(int cost) => BCryptPasswordVerifier.Instance.HashRandom(cost);
}
