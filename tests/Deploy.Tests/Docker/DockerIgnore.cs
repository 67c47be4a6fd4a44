using System.Text;
using System.Text.RegularExpressions;

namespace Deploy.Tests.Docker;

/// <summary>
/// A <c>.dockerignore</c> with the semantics of Docker's pattern matcher (moby/patternmatcher): patterns are
/// cleaned paths relative to the context root, <c>*</c> and <c>?</c> stay within one path segment, <c>**</c>
/// spans any number of them, a pattern that matches a directory matches everything below it, <c>!</c>
/// re-includes, and the last matching pattern wins.
/// </summary>
public sealed class DockerIgnore
{
    private readonly IReadOnlyList<(Regex Pattern, bool Include)> _rules;

    private DockerIgnore(IReadOnlyList<(Regex Pattern, bool Include)> rules) => _rules = rules;

    public static DockerIgnore Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllLines(path)) : new DockerIgnore([]);

    public static DockerIgnore Parse(IEnumerable<string> lines)
    {
        var rules = new List<(Regex, bool)>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var include = line[0] == '!';
            var pattern = Clean(include ? line[1..].Trim() : line);
            if (pattern.Length > 0)
            {
                rules.Add((ToRegex(pattern), include));
            }
        }

        return new DockerIgnore(rules);
    }

    /// <summary>True when the context would not contain <paramref name="relativePath"/> (a path with '/' separators).</summary>
    public bool IsExcluded(string relativePath)
    {
        var path = Clean(relativePath);
        var parents = Parents(path).ToList();
        var excluded = false;
        foreach (var (pattern, include) in _rules)
        {
            if (pattern.IsMatch(path) || parents.Exists(pattern.IsMatch))
            {
                excluded = !include;
            }
        }

        return excluded;
    }

    /// <summary>The files of the build context under <paramref name="directory"/> (relative to <paramref name="root"/>).</summary>
    public IEnumerable<string> ContextFiles(string root, string directory) =>
        Directory.EnumerateFiles(Path.Combine(root, directory), "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Where(file => !IsExcluded(file));

    private static IEnumerable<string> Parents(string path)
    {
        for (var at = path.IndexOf('/', StringComparison.Ordinal); at > 0; at = path.IndexOf('/', at + 1))
        {
            yield return path[..at];
        }
    }

    // Like Go's filepath.Clean on a relative path: no leading "/" or "./", no trailing "/", no empty segments.
    private static string Clean(string path)
    {
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".");
        return string.Join('/', segments);
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                {
                    // "**/" matches zero or more whole segments.
                    i++;
                    regex.Append("(.*/)?");
                }
                else
                {
                    regex.Append(".*");
                }
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
