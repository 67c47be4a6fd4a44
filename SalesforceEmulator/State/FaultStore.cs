namespace SalesforceEmulator.State;

/// <summary>
/// An injected fault: delay matching protocol requests by <see cref="LatencyMs"/>, then answer them with
/// <see cref="StatusCode"/> when set. <see cref="Path"/> limits it to paths starting with it; <see cref="Count"/>
/// to that many requests. <see cref="RetryAfterSeconds"/> is sent as <c>Retry-After</c> (a 429 gets one second when unset).
/// </summary>
public sealed record Fault(int LatencyMs, int? StatusCode, string? Path, int? Count, int? RetryAfterSeconds = null);

/// <summary>The fault currently injected, if any.</summary>
public sealed class FaultStore
{
    private readonly Lock _lock = new();
    private Fault? _fault;
    private int _remaining;

    public Fault? Current
    {
        get
        {
            lock (_lock)
            {
                return _fault;
            }
        }
    }

    public void Set(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_lock)
        {
            _fault = fault;
            _remaining = fault.Count ?? int.MaxValue;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _fault = null;
        }
    }

    /// <summary>The fault to apply to a request for <paramref name="path"/>, counting it against <see cref="Fault.Count"/>.</summary>
    public Fault? Take(string path)
    {
        lock (_lock)
        {
            if (_fault is null || (_fault.Path is { Length: > 0 } prefix && !path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }

            var fault = _fault;
            if (--_remaining <= 0)
            {
                _fault = null;
            }

            return fault;
        }
    }
}
