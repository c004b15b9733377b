namespace Berth.Cli;

/// <summary>Ends <c>berth htpasswd</c> with Apache htpasswd's exit status and one message on standard error.</summary>
internal sealed class HtpasswdException(int exitCode, string message, bool showUsage = false) : Exception(message)
{
    /// <summary>Apache's status codes (htpasswd.c): what scripts written for it test.</summary>
    public const int FileError = 1;
    public const int SyntaxError = 2;
    public const int PasswordMismatch = 3;
    public const int Interrupted = 4;
    public const int TooLong = 5;
    public const int BadUser = 6;

    public int ExitCode { get; } = exitCode;

    public bool ShowUsage { get; } = showUsage;

    public static HtpasswdException Usage(string message) => new(SyntaxError, message, showUsage: true);
}
