using System.Diagnostics;
using System.Text;

namespace SalesforceIdentity.Tests.Hosting;

/// <summary>Runs a command to completion within a time limit and returns its exit code and output.</summary>
public static class Command
{
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (environment is not null)
        {
            startInfo.Environment.Clear();
            foreach (var (name, value) in environment)
            {
                startInfo.Environment[name] = value;
            }
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{Path.GetFileName(fileName)} {string.Join(' ', startInfo.ArgumentList)}' did not finish within {timeout}.\n{Tail(output)}");
        }

        // WaitForExitAsync returns once the output streams are drained too.
        return new CommandResult(process.ExitCode, Tail(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Tail(StringBuilder output)
    {
        lock (output)
        {
            const int MaxChars = 12_000;
            return output.Length <= MaxChars ? output.ToString() : "..." + output.ToString(output.Length - MaxChars, MaxChars);
        }
    }
}

public sealed record CommandResult(int ExitCode, string Output);
