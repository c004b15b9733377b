namespace Berth.Cli;

/// <summary>
/// <c>berth htpasswd</c>: Apache's htpasswd for bcrypt, so that the registry lab's
/// <c>htpasswd -Bbn moby gordon &gt; auth/htpasswd</c> works with Berth and Apache's <c>htpasswd -v</c> accepts the result.
/// </summary>
/// <param name="input">Standard input: the password with <c>-i</c>, or whenever it is not a terminal.</param>
/// <param name="promptHidden">Asks on the terminal without echo; null when standard input is not a terminal.</param>
internal sealed class HtpasswdCommand(TextReader input, TextWriter output, TextWriter error, Func<string, string?>? promptHidden)
{
    public const string Name = "htpasswd";

    public const string Summary = "Create or update htpasswd files (bcrypt) for auth.htpasswd, with Apache htpasswd's flags.";

    /// <summary>Apache's limit for user names and passwords (MAX_STRING_LEN - 1).</summary>
    private const int MaxLength = 255;

    public const string Usage = """
        Usage:
          berth htpasswd [-ciBDv] [-C cost] passwordfile username
          berth htpasswd -b[cBDv] [-C cost] passwordfile username password
          berth htpasswd -n[iB] [-C cost] username
          berth htpasswd -nb[B] [-C cost] username password
         -c  Create a new file (an existing one is replaced).
         -n  Print the entry on standard output instead of updating a file.
         -b  Take the password from the command line rather than asking for it.
         -i  Read the password from standard input, once, without asking (as when input is not a terminal).
         -B  bcrypt: the default and the only hash kind (registry:2 accepts no other).
         -C  bcrypt cost, from 4 to 17 (default 5, as Apache htpasswd).
         -D  Delete the user.
         -v  Verify the user's password.
        These are Apache htpasswd's flags; its other hash kinds (-m, -2, -5, -d, -s, -p) are refused.
        Example, as in the registry lab:  berth htpasswd -Bbn moby gordon > auth/htpasswd
        Exit status: 0 success, 1 file problem, 2 usage error, 3 passwords differ or verification failed,
        4 no password given, 5 too long, 6 bad user name or user not found.
        """;

    public int Run(IReadOnlyList<string> args)
    {
        try
        {
            var arguments = HtpasswdArguments.Parse(args);
            if (arguments.Help)
            {
                output.Write(Usage + "\n");
                return 0;
            }

            CheckUser(arguments.User);
            return arguments switch
            {
                { Delete: true } => Delete(arguments),
                { Verify: true } => Verify(arguments),
                { ToStandardOutput: true } => Print(arguments),
                _ => Update(arguments),
            };
        }
        catch (HtpasswdException e)
        {
            error.Write($"htpasswd: {e.Message}\n");
            if (e.ShowUsage)
            {
                error.Write(Usage + "\n");
            }

            return e.ExitCode;
        }
    }

    private int Print(HtpasswdArguments arguments)
    {
        // Apache ends the entry with an empty line; the same bytes keep scripts that compare output working.
        output.Write($"{arguments.User}:{Hash(NewPassword(arguments), arguments.Cost)}\n\n");
        return 0;
    }

    private int Update(HtpasswdArguments arguments)
    {
        var file = arguments.Create ? HtpasswdFile.New(arguments.File!) : HtpasswdFile.Open(arguments.File!);
        var updated = file.Set(arguments.User, Hash(NewPassword(arguments), arguments.Cost));
        file.Save();
        error.Write($"{(updated ? "Updating" : "Adding")} password for user {arguments.User}\n");
        return 0;
    }

    private int Delete(HtpasswdArguments arguments)
    {
        var file = HtpasswdFile.Open(arguments.File!);
        if (!file.Remove(arguments.User))
        {
            error.Write($"User {arguments.User} not found\n");
            return 0;
        }

        file.Save();
        error.Write($"Deleting password for user {arguments.User}\n");
        return 0;
    }

    private int Verify(HtpasswdArguments arguments)
    {
        var hash = HtpasswdFile.Open(arguments.File!).Find(arguments.User)
            ?? throw new HtpasswdException(HtpasswdException.BadUser, $"user {arguments.User} not found");
        var password = arguments.Password ?? ReadPassword(arguments, "Enter password: ", confirm: false);
        if (!hash.StartsWith("$2", StringComparison.Ordinal))
        {
            throw new HtpasswdException(HtpasswdException.PasswordMismatch, $"the entry of {arguments.User} is not bcrypt; Berth verifies bcrypt only");
        }

        if (!BCrypt.Net.BCrypt.Verify(password, hash))
        {
            throw new HtpasswdException(HtpasswdException.PasswordMismatch, "password verification failed");
        }

        error.Write($"Password for user {arguments.User} correct.\n");
        return 0;
    }

    private string NewPassword(HtpasswdArguments arguments) =>
        arguments.Password ?? ReadPassword(arguments, "New password: ", confirm: true);

    private string ReadPassword(HtpasswdArguments arguments, string prompt, bool confirm)
    {
        string? password;
        if (arguments.FromStandardInput || promptHidden is null)
        {
            password = input.ReadLine();
        }
        else
        {
            password = promptHidden(prompt);
            if (password is not null && confirm && promptHidden("Re-type new password: ") != password)
            {
                throw new HtpasswdException(HtpasswdException.PasswordMismatch, "password verification error");
            }
        }

        password = password ?? throw new HtpasswdException(HtpasswdException.Interrupted, "no password given (standard input ended)");
        return password.Length <= MaxLength
            ? password
            : throw new HtpasswdException(HtpasswdException.TooLong, $"password too long (> {MaxLength})");
    }

    private static void CheckUser(string user)
    {
        if (user.Length > MaxLength)
        {
            throw new HtpasswdException(HtpasswdException.TooLong, $"username too long (> {MaxLength})");
        }

        if (user.Length == 0 || user.Contains(':', StringComparison.Ordinal) || user.Any(char.IsControl))
        {
            throw new HtpasswdException(HtpasswdException.BadUser,
                user.Length == 0 ? "username must not be empty" : "username contains illegal character ':' or a control character");
        }
    }

    /// <summary>bcrypt with Apache's <c>$2y$</c> prefix (the same algorithm as <c>$2b$</c>).</summary>
    internal static string Hash(string password, int cost) =>
        BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(cost, 'y'));
}
