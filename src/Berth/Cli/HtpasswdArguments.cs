using System.Globalization;

namespace Berth.Cli;

/// <summary>
/// Apache htpasswd's command line, parsed as Apache does: flags come first and may be combined (<c>-Bbn</c>),
/// <c>-C</c> takes the cost attached or as the next argument, and the first argument that is not a flag starts
/// the positional ones: <c>[file] user [password]</c>.
/// </summary>
internal sealed record HtpasswdArguments
{
    /// <summary>Apache's default bcrypt cost; the registry lab's <c>$2y$05$</c> hashes come from it.</summary>
    public const int DefaultCost = 5;
    public const int MinCost = 4;
    public const int MaxCost = 17;

    public bool Help { get; private init; }

    /// <summary><c>-c</c>: create the file, replacing one that exists.</summary>
    public bool Create { get; private init; }

    /// <summary><c>-n</c>: print the entry instead of updating a file.</summary>
    public bool ToStandardOutput { get; private init; }

    /// <summary><c>-b</c>: the password is the last argument.</summary>
    public bool Batch { get; private init; }

    /// <summary><c>-i</c>: read the password from standard input, once, without a prompt.</summary>
    public bool FromStandardInput { get; private init; }

    /// <summary><c>-D</c>: remove the user from the file.</summary>
    public bool Delete { get; private init; }

    /// <summary><c>-v</c>: check the user's password against the file.</summary>
    public bool Verify { get; private init; }

    public int Cost { get; private init; } = DefaultCost;

    public string? File { get; private init; }

    public string User { get; private init; } = string.Empty;

    public string? Password { get; private init; }

    /// <exception cref="HtpasswdException">A flag or the number of arguments is wrong.</exception>
    public static HtpasswdArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new HtpasswdArguments();
        var i = 0;
        for (; i < args.Count && args[i].Length > 1 && args[i][0] == '-'; i++)
        {
            if (args[i] is "--help" or "-h")
            {
                return new HtpasswdArguments { Help = true };
            }

            if (args[i] == "--")
            {
                i++;
                break;
            }

            parsed = parsed.WithFlags(args, ref i);
        }

        return parsed.WithPositionals(args.Skip(i).ToList());
    }

    private HtpasswdArguments WithFlags(IReadOnlyList<string> args, ref int i)
    {
        var result = this;
        var token = args[i];
        for (var j = 1; j < token.Length; j++)
        {
            switch (token[j])
            {
                case 'c': result = result with { Create = true }; break;
                case 'n': result = result with { ToStandardOutput = true }; break;
                case 'b': result = result with { Batch = true }; break;
                case 'i': result = result with { FromStandardInput = true }; break;
                case 'D': result = result with { Delete = true }; break;
                case 'v': result = result with { Verify = true }; break;
                case 'B': break;
                case 'C':
                    // Apache: "-C10" or "-C 10"; the cost ends this token either way.
                    var attached = token[(j + 1)..];
                    var value = attached.Length > 0 ? attached : ++i < args.Count ? args[i] : throw HtpasswdException.Usage("-C needs a cost");
                    return result with { Cost = ParseCost(value) };
                case var kind and ('m' or '2' or '5' or 'd' or 's' or 'p' or 'r'):
                    throw HtpasswdException.Usage(
                        $"-{kind} is not supported: Berth writes bcrypt (-B) only, the one hash kind registry:2 accepts");
                case var other:
                    throw HtpasswdException.Usage($"unknown option -{other}");
            }
        }

        return result;
    }

    private static int ParseCost(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var cost) && cost is >= MinCost and <= MaxCost
            ? cost
            : throw HtpasswdException.Usage($"-C: the bcrypt cost must be a number from {MinCost} to {MaxCost}, got '{value}'");

    private HtpasswdArguments WithPositionals(List<string> positionals)
    {
        CheckCombinations();
        var expected = (ToStandardOutput ? 1 : 2) + (Batch ? 1 : 0);
        if (positionals.Count != expected)
        {
            var wanted = (ToStandardOutput ? "username" : "passwordfile username") + (Batch ? " password" : "");
            throw HtpasswdException.Usage($"expected {wanted}, got {positionals.Count} argument{(positionals.Count == 1 ? "" : "s")}");
        }

        var rest = ToStandardOutput ? positionals : positionals.Skip(1).ToList();
        return this with
        {
            File = ToStandardOutput ? null : positionals[0],
            User = rest[0],
            Password = Batch ? rest[1] : null,
        };
    }

    private void CheckCombinations()
    {
        (bool Conflict, string Message)[] rules =
        [
            (Create && ToStandardOutput, "-c and -n cannot be combined: -n prints the entry instead of writing a file"),
            (Batch && FromStandardInput, "-b and -i cannot be combined: the password comes from the command line or from standard input"),
            (Delete && (Verify || Batch || FromStandardInput || ToStandardOutput || Create), "-D takes only passwordfile username"),
            (Verify && (ToStandardOutput || Create), "-v checks a password in an existing file: it cannot be combined with -c or -n"),
        ];
        foreach (var (_, message) in rules.Where(r => r.Conflict))
        {
            throw HtpasswdException.Usage(message);
        }
    }
}
