using System.Text;
using System.Text.Json;

namespace Deploy.Tests.Docker;

/// <summary>
/// A Dockerfile read the way BuildKit's parser reads one: parser directives, comments, line continuations
/// (the escape character at the end of a line, with comment and blank lines inside a continuation skipped),
/// then one instruction per logical line. Heredocs are not supported and fail the parse.
/// </summary>
public sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerInstruction> instructions)
    {
        Instructions = instructions;
        Stages = SplitStages(instructions);
    }

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    /// <summary>Instructions before the first <c>FROM</c> (only <c>ARG</c> is allowed there).</summary>
    public IReadOnlyList<DockerInstruction> GlobalInstructions => [.. Instructions.TakeWhile(i => i.Keyword != "FROM")];

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage FinalStage => Stages[^1];

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path));

    public static Dockerfile Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var escape = '\\';
        var index = 0;

        // Parser directives: only at the very top, before any comment, blank line or instruction.
        for (; index < lines.Length; index++)
        {
            var directive = lines[index].Trim();
            if (!directive.StartsWith('#') || !directive.Contains('=', StringComparison.Ordinal))
            {
                break;
            }

            var (name, value) = SplitOnce(directive[1..], '=');
            if (name.Equals("escape", StringComparison.OrdinalIgnoreCase) && value is "`" or "\\")
            {
                escape = value[0];
            }
            else if (!name.Equals("syntax", StringComparison.OrdinalIgnoreCase) && !name.Equals("check", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }
        }

        var instructions = new List<DockerInstruction>();
        var logical = new StringBuilder();
        var startLine = 0;
        for (; index < lines.Length; index++)
        {
            var line = lines[index];
            var trimmed = line.Trim();
            if (logical.Length == 0)
            {
                if (trimmed.Length == 0 || trimmed[0] == '#')
                {
                    continue;
                }

                startLine = index + 1;
            }
            else if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                // Inside a continuation, comment and empty lines are dropped, and the instruction goes on.
                continue;
            }

            var content = line.TrimEnd();
            if (content.EndsWith(escape))
            {
                logical.Append(content.AsSpan(0, content.Length - 1)).Append(' ');
                continue;
            }

            logical.Append(content);
            instructions.Add(DockerInstruction.Create(logical.ToString().Trim(), startLine, escape));
            logical.Clear();
        }

        if (logical.Length > 0)
        {
            instructions.Add(DockerInstruction.Create(logical.ToString().Trim(), startLine, escape));
        }

        return new Dockerfile(instructions);
    }

    private static List<DockerStage> SplitStages(IReadOnlyList<DockerInstruction> instructions)
    {
        var stages = new List<DockerStage>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                var words = instruction.Words;
                if (words.Count is not (1 or 3) || (words.Count == 3 && !words[1].Equals("AS", StringComparison.OrdinalIgnoreCase)))
                {
                    throw new FormatException($"Line {instruction.Line}: FROM takes an image and an optional 'AS name'.");
                }

                stages.Add(new DockerStage(stages.Count, words[0], words.Count == 3 ? words[2] : null,
                    instruction.Flags.GetValueOrDefault("platform"), instruction.Line, new List<DockerInstruction>()));
            }
            else if (stages.Count > 0)
            {
                ((List<DockerInstruction>)stages[^1].Instructions).Add(instruction);
            }
            else if (instruction.Keyword != "ARG")
            {
                throw new FormatException($"Line {instruction.Line}: only ARG may come before the first FROM, not {instruction.Keyword}.");
            }
        }

        return stages;
    }

    internal static (string Name, string Value) SplitOnce(string text, char separator)
    {
        var at = text.IndexOf(separator, StringComparison.Ordinal);
        return at < 0 ? (text.Trim(), "") : (text[..at].Trim(), text[(at + 1)..].Trim());
    }
}

/// <summary>One build stage: its base image, optional name and platform flag, and its instructions.</summary>
public sealed record DockerStage(int Index, string BaseImage, string? Name, string? Platform, int Line, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);
}

/// <summary>
/// One instruction: its keyword (upper case), its raw arguments, the <c>--flag=value</c> options at the
/// front, and the remaining words (shell form) or array elements (exec form, a JSON array).
/// </summary>
public sealed record DockerInstruction(string Keyword, string Arguments, int Line, IReadOnlyDictionary<string, string> Flags, IReadOnlyList<string> Words, bool IsExecForm)
{
    private static readonly HashSet<string> KeywordsWithFlags = new(StringComparer.Ordinal) { "FROM", "COPY", "ADD", "RUN", "HEALTHCHECK" };

    internal static DockerInstruction Create(string logicalLine, int line, char escape)
    {
        var (keyword, arguments) = SplitKeyword(logicalLine);
        var words = SplitWords(arguments, escape);
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (KeywordsWithFlags.Contains(keyword))
        {
            while (words.Count > 0 && words[0].StartsWith("--", StringComparison.Ordinal))
            {
                var (name, value) = Dockerfile.SplitOnce(words[0][2..], '=');
                flags[name] = value;
                words.RemoveAt(0);
            }
        }

        if (arguments.Contains("<<", StringComparison.Ordinal) && keyword is "RUN" or "COPY")
        {
            throw new FormatException($"Line {line}: heredocs are not supported by this parser.");
        }

        var rest = string.Join(' ', words);
        IReadOnlyList<string>? array = null;
        var execForm = keyword is "RUN" or "CMD" or "ENTRYPOINT" or "SHELL" or "COPY" or "ADD" or "VOLUME"
            && rest.StartsWith('[') && TryParseJsonArray(StripFlags(arguments), out array);
        return new DockerInstruction(keyword, arguments, line, flags, execForm ? array! : words, execForm);
    }

    private static (string Keyword, string Arguments) SplitKeyword(string logicalLine)
    {
        var at = logicalLine.IndexOfAny([' ', '\t']);
        return at < 0
            ? (logicalLine.ToUpperInvariant(), "")
            : (logicalLine[..at].ToUpperInvariant(), logicalLine[(at + 1)..].Trim());
    }

    private static string StripFlags(string arguments)
    {
        var rest = arguments;
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var space = rest.IndexOfAny([' ', '\t']);
            rest = space < 0 ? "" : rest[(space + 1)..].TrimStart();
        }

        return rest;
    }

    private static bool TryParseJsonArray(string text, out IReadOnlyList<string>? array)
    {
        try
        {
            array = JsonSerializer.Deserialize<string[]>(text);
            return array is not null;
        }
        catch (JsonException)
        {
            array = null;
            return false;
        }
    }

    /// <summary>Splits on unquoted whitespace; quotes group words and are removed, the escape character escapes.</summary>
    private static List<string> SplitWords(string text, char escape)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == escape && quote != '\'' && i + 1 < text.Length)
            {
                word.Append(text[++i]);
                inWord = true;
            }
            else if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            throw new FormatException($"Unterminated quote in: {text}");
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
