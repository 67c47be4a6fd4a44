namespace SalesforceEmulator.State;

/// <summary>The <c>rate_limit_exceeded</c> test hook: while set, logins and token requests are refused as over the login limit.</summary>
public sealed class LoginRateLimit
{
    private readonly Lock _lock = new();
    private int? _remaining;
    private bool _on;

    /// <summary>Refuses the next <paramref name="count"/> logins, or every login until cleared when null.</summary>
    public void Set(int? count)
    {
        lock (_lock)
        {
            _on = true;
            _remaining = count;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _on = false;
            _remaining = null;
        }
    }

    /// <summary>True when this login must be refused; counts it against the limit.</summary>
    public bool Exceeded()
    {
        lock (_lock)
        {
            if (!_on)
            {
                return false;
            }

            if (_remaining is { } remaining)
            {
                _remaining = remaining - 1;
                _on = _remaining > 0;
            }

            return true;
        }
    }
}
