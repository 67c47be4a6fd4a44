namespace SalesforceEmulator.State;

/// <summary>One protocol request as the test hooks report it: never a token, code or secret.</summary>
public sealed record RecordedRequest(string Method, string Path, string? GrantType, DateTimeOffset At);

/// <summary>Every protocol request since start (or the last clear), oldest first, capped so a long run cannot grow without bound.</summary>
public sealed class RequestLog
{
    public const int Capacity = 10_000;

    private readonly Lock _lock = new();
    private readonly Queue<RecordedRequest> _requests = new();

    public void Add(RecordedRequest request)
    {
        lock (_lock)
        {
            if (_requests.Count == Capacity)
            {
                _requests.Dequeue();
            }

            _requests.Enqueue(request);
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_lock)
        {
            return [.. _requests];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _requests.Clear();
        }
    }
}
