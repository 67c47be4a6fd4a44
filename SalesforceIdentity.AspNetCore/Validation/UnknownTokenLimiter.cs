using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace SalesforceIdentity.AspNetCore.Validation;

/// <summary>
/// A token bucket per client address for lookups of tokens this instance does not know (issue 14): a flood of
/// made-up tokens from one address costs the AuthService, and through it Salesforce, a bounded number of calls.
/// Only a refused token keeps its permit, so users with new valid tokens are not held up by it.
/// </summary>
/// <remarks>
/// Hand-written rather than System.Threading.RateLimiting's partitioned token bucket: that one refills on a
/// real-time timer, this one computes the refill from <see cref="TimeProvider"/> at each call (tests drive it with a
/// fake clock), and it can give a permit back.
/// </remarks>
internal sealed class UnknownTokenLimiter(IOptions<SalesforceTokenValidationOptions> options, TimeProvider time)
{
    private const int SweepEvery = 4096;

    private readonly UnknownTokenOptions _options = options.Value.UnknownTokens;
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();
    private int _created;

    /// <summary>Takes a permit for <paramref name="client"/>; when none is left, says how long until one is.</summary>
    public bool TryAcquire(IPAddress? client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_options.PermitsPerSecond <= 0)
        {
            return true;
        }

        var bucket = _buckets.GetOrAdd(Partition(client), _ => Created());
        lock (bucket)
        {
            Refill(bucket);
            if (bucket.Permits >= 1)
            {
                bucket.Permits--;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds(Math.Ceiling((1 - bucket.Permits) / _options.PermitsPerSecond));
            return false;
        }
    }

    /// <summary>Gives back the permit of a lookup that did not turn out to be a made-up token.</summary>
    public void Return(IPAddress? client)
    {
        if (_options.PermitsPerSecond > 0 && _buckets.TryGetValue(Partition(client), out var bucket))
        {
            lock (bucket)
            {
                bucket.Permits = Math.Min(_options.Burst, bucket.Permits + 1);
            }
        }
    }

    private void Refill(Bucket bucket)
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
        bucket.Permits = Math.Min(_options.Burst, bucket.Permits + (elapsed * _options.PermitsPerSecond));
        bucket.Stamp = now;
    }

    private Bucket Created()
    {
        // Addresses come and go: now and then forget those whose bucket has filled up again.
        if (Interlocked.Increment(ref _created) % SweepEvery == 0)
        {
            foreach (var pair in _buckets)
            {
                lock (pair.Value)
                {
                    Refill(pair.Value);
                    if (pair.Value.Permits >= _options.Burst)
                    {
                        _buckets.TryRemove(pair);
                    }
                }
            }
        }

        return new Bucket { Permits = _options.Burst, Stamp = time.GetTimestamp() };
    }

    /// <summary>One partition per IPv4 address, and per /64 for IPv6 (one subscriber's whole prefix).</summary>
    private static IPAddress Partition(IPAddress? client)
    {
        if (client is null)
        {
            return IPAddress.None;
        }

        if (client.IsIPv4MappedToIPv6)
        {
            return client.MapToIPv4();
        }

        if (client.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return client;
        }

        Span<byte> bytes = stackalloc byte[16];
        client.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    private sealed class Bucket
    {
        public double Permits { get; set; }

        public long Stamp { get; set; }
    }
}
