using System.Text;

namespace Berth.Cli;

/// <summary>Asks for a secret on the terminal without echoing it, as Apache htpasswd does.</summary>
internal static class TerminalPrompt
{
    /// <returns>The line typed, or null when input ended (Ctrl+D on an empty line).</returns>
    public static string? ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.Error.WriteLine();
                    return typed.ToString();
                case ConsoleKey.Backspace when typed.Length > 0:
                    typed.Length--;
                    break;
                case ConsoleKey.D when key.Modifiers == ConsoleModifiers.Control && typed.Length == 0:
                    Console.Error.WriteLine();
                    return null;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        typed.Append(key.KeyChar);
                    }

                    break;
            }
        }
    }
}
