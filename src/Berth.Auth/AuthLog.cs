using Microsoft.Extensions.Logging;

namespace Berth.Auth;

/// <summary>
/// Every log line of Berth.Auth. None takes a password, hash or token: user names, line numbers, paths and reasons
/// written by this library only.
/// </summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "htpasswd: the entry of user {User} is not bcrypt ($2y$, $2a$, $2b$) and is ignored; re-create it with `berth htpasswd` or `htpasswd -B`")]
    public static partial void NonBcryptEntry(ILogger logger, string user);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "htpasswd: line {Line} is not of the form user:hash and is ignored")]
    public static partial void MalformedLine(ILogger logger, int line);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information,
        Message = "htpasswd: loaded {Users} users from {Path}")]
    public static partial void Loaded(ILogger logger, int users, string path);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning,
        Message = "htpasswd: {Path} cannot be read; nobody can log in until it can")]
    public static partial void Unreadable(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug,
        Message = "authentication failed for user {User}")]
    public static partial void AuthenticationFailed(ILogger logger, string user);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug,
        Message = "bearer token rejected: {Reason}")]
    public static partial void TokenRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning,
        Message = "access.rules[{Rule}] names users or groups, but no auth method is configured: only its anonymous grant can apply")]
    public static partial void RuleNeedsLogin(ILogger logger, int rule);
}
