namespace SalesforceEmulator.Protocol;

/// <summary>Salesforce record ids: 15-character case-sensitive ids and their 18-character checksummed form.</summary>
public static class SalesforceId
{
    private const string ChecksumAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    /// <summary>Returns the 18-character form of a 15- or 18-character id.</summary>
    public static string To18(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 18)
        {
            return id[..15] + Checksum(id[..15]);
        }

        if (id.Length != 15)
        {
            throw new ArgumentException($"A Salesforce id has 15 or 18 characters, not {id.Length}.", nameof(id));
        }

        return id + Checksum(id);
    }

    /// <summary>True when <paramref name="id"/> is a well-formed 15- or 18-character id (with a valid checksum) starting with <paramref name="prefix"/>.</summary>
    public static bool IsValid(string? id, string prefix)
    {
        if (id is null || (id.Length != 15 && id.Length != 18) || !id.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (!id.All(char.IsAsciiLetterOrDigit))
        {
            return false;
        }

        return id.Length == 15 || string.Equals(Checksum(id[..15]), id[15..], StringComparison.Ordinal);
    }

    // Each 5-character chunk gives one suffix character: bit i is set when character i is an upper-case letter.
    private static string Checksum(string id15)
    {
        Span<char> suffix = stackalloc char[3];
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (char.IsAsciiLetterUpper(id15[(chunk * 5) + i]))
                {
                    bits |= 1 << i;
                }
            }

            suffix[chunk] = ChecksumAlphabet[bits];
        }

        return new string(suffix);
    }
}
