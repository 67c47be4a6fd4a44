using System.Collections.Concurrent;

namespace SalesforceIdentity.AspNetCore.Validation;

/// <summary>
/// One copy of each value that many cached callers share (org IDs, instance URLs, scopes, the client ID), so that
/// 10,000 cached tokens of one org hold those strings once, not 10,000 times. Bounded: past its size it stops
/// adding and hands values back as they are.
/// </summary>
internal sealed class StringPool(int capacity)
{
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);

    public string? Get(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (_values.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        return _values.Count < capacity ? _values.GetOrAdd(value, value) : value;
    }
}
