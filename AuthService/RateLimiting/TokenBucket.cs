using System.Threading.RateLimiting;

namespace AuthService.RateLimiting;

/// <summary>
/// A token bucket that reads time from a <see cref="TimeProvider"/>: it refills continuously as that clock
/// moves, and never queues. Written by hand because the framework's <see cref="TokenBucketRateLimiter"/> is
/// refilled by a real-time timer (its own, or the partitioned limiter's 100 ms heartbeat), so tests could
/// only count its permits against the wall clock; this one tests drive with <c>FakeTimeProvider</c>.
/// </summary>
public sealed class TokenBucket : RateLimiter
{
    private readonly TimeProvider _time;
    private readonly BucketLimits _limits;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _refilledAt;
    private long _fullSince;
    private long _successful;
    private long _failed;

    public TokenBucket(BucketLimits limits, TimeProvider time)
    {
        _limits = limits;
        _time = time;
        _tokens = limits.Burst;
        _refilledAt = _fullSince = time.GetTimestamp();
    }

    /// <summary>How long the bucket has been full (nothing to remember), so that a partitioned limiter can drop it.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var now = Refill();
                return _tokens >= _limits.Burst ? _time.GetElapsedTime(_fullSince, now) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = (long)_tokens,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            Refill();
            if (_tokens >= permitCount)
            {
                _tokens -= permitCount;
                _successful++;
                return Lease.Acquired;
            }

            _failed++;
            var missing = permitCount - _tokens;
            return new Lease(false, TimeSpan.FromSeconds(Math.Ceiling(missing / _limits.PermitsPerSecond)));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    /// <summary>Adds what the clock's progress earned since the last refill; returns now.</summary>
    private long Refill()
    {
        var now = _time.GetTimestamp();
        var earned = _time.GetElapsedTime(_refilledAt, now).TotalSeconds * _limits.PermitsPerSecond;
        _refilledAt = now;
        if (_tokens < _limits.Burst && _tokens + earned >= _limits.Burst)
        {
            _fullSince = now;
        }

        _tokens = Math.Min(_limits.Burst, _tokens + earned);
        return now;
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter = null) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}

/// <summary>A bucket's size and refill rate.</summary>
public readonly record struct BucketLimits(int Burst, double PermitsPerSecond);
