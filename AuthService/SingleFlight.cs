using System.Collections.Concurrent;

namespace AuthService;

/// <summary>
/// One run of an operation per key at a time in this process: callers that arrive while it runs share its
/// task, and it leaves the table when it ends. The task is not tied to any caller, so one caller giving
/// up fails no other. (HybridCache coalesces too, but only around its own cache entries.)
/// </summary>
/// <param name="joinersRetryOnce">
/// When a shared run faults, the callers who only joined it get one more run, shared among all of them however
/// late each notices the fault: the fault was the first caller's bad luck, not theirs. That second run is itself
/// never retried, so a fault costs at most two calls. Leave it off for operations that must not be repeated,
/// such as a refresh under rotation.
/// </param>
public sealed class SingleFlight<TResult>(bool joinersRetryOnce = false)
{
    private readonly ConcurrentDictionary<string, Flight> _inFlight = new(StringComparer.Ordinal);

    public async Task<TResult> RunAsync(string key, Func<Task<TResult>> operation, CancellationToken cancellationToken = default)
    {
        var (flight, started) = Join(key, operation, isRetry: false);
        try
        {
            return await flight.Call.WaitAsync(cancellationToken);
        }
        catch when (joinersRetryOnce && !started && !flight.IsRetry && flight.Call.IsFaulted && !cancellationToken.IsCancellationRequested)
        {
            return await flight.Retry(() => Join(key, operation, isRetry: true).Flight.Call).WaitAsync(cancellationToken);
        }
    }

    private (Flight Flight, bool Started) Join(string key, Func<Task<TResult>> operation, bool isRetry)
    {
        while (true)
        {
            // Cheap: nothing runs until Start.
            var created = new Flight(operation, isRetry);
            var flight = _inFlight.GetOrAdd(key, created);
            if (ReferenceEquals(flight, created))
            {
                flight.Start(() => _inFlight.TryRemove(KeyValuePair.Create(key, flight)));
                return (flight, true);
            }

            // A run that has ended but not yet left the table is no run to join.
            if (flight.Call.IsCompleted)
            {
                _inFlight.TryRemove(KeyValuePair.Create(key, flight));
                continue;
            }

            return (flight, false);
        }
    }

    private sealed class Flight(Func<Task<TResult>> operation, bool isRetry)
    {
        private readonly TaskCompletionSource<TResult> _call = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Lazy<Task<TResult>>? _retry;

        public bool IsRetry { get; } = isRetry;

        public Task<TResult> Call => _call.Task;

        /// <summary>The one retry of this faulted run: the first joiner to ask starts (or joins) it, the rest share it.</summary>
        public Task<TResult> Retry(Func<Task<TResult>> start)
        {
            Interlocked.CompareExchange(ref _retry, new Lazy<Task<TResult>>(start), null);
            return _retry.Value;
        }

        public void Start(Action leave)
        {
            _ = RunAsync();

            async Task RunAsync()
            {
                try
                {
                    _call.SetResult(await operation());
                }
                catch (Exception ex)
                {
                    _call.SetException(ex);
                }
                finally
                {
                    leave();
                }
            }
        }
    }
}
