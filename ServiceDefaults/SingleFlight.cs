using System.Collections.Concurrent;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One run of an operation per key at a time in this process: callers that arrive while it runs share its
/// task, and it leaves the table when it ends. The task is not tied to any caller, so one caller giving
/// up fails no other. (HybridCache coalesces too, but only around its own cache entries.)
/// </summary>
public sealed class SingleFlight<TResult>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TResult>>> _inFlight = new(StringComparer.Ordinal);

    public Task<TResult> RunAsync(string key, Func<Task<TResult>> operation)
    {
        var created = new Lazy<Task<TResult>>(operation);
        var call = _inFlight.GetOrAdd(key, created);
        if (ReferenceEquals(call, created))
        {
            _ = call.Value.ContinueWith(
                _ => _inFlight.TryRemove(KeyValuePair.Create(key, call)),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return call.Value;
    }
}
