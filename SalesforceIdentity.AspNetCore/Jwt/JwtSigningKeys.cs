using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace SalesforceIdentity.AspNetCore.Jwt;

/// <summary>
/// The signing keys of each configured My Domain, from its <c>/id/keys</c> (help article 004980324), held by the
/// framework's <see cref="ConfigurationManager{T}"/>: fetched on first use, again every 12 hours, and on request when a
/// token names an unknown <c>kid</c> (Salesforce rotates keys each release, possibly without notice), at most once per
/// <see cref="JwtAccessTokenOptions.JwtKeyRefreshInterval"/>. Addresses come only from the AuthService's settings.
/// </summary>
internal sealed class JwtSigningKeys(IHttpClientFactory clients, IOptions<SalesforceTokenValidationOptions> options, TimeProvider time)
{
    /// <summary>The name of the HttpClient that fetches keys.</summary>
    public const string HttpClientName = "SalesforceIdentity.JwtKeys";

    /// <summary>Largest key set read: Salesforce's has a few RSA keys, a few KB.</summary>
    public const int MaxResponseBytes = 256 * 1024;

    /// <summary>After a failed fetch with no keys yet, tokens get 503 for this long without another attempt.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(SalesforceTokenDefaults.RetryAfterSeconds);

    private readonly ConcurrentDictionary<string, IssuerKeys> _issuers = new(StringComparer.Ordinal);

    /// <summary>The keys of <paramref name="issuer"/>, a My Domain origin from the AuthService's settings.</summary>
    public IssuerKeys For(string issuer) => _issuers.GetOrAdd(issuer, Create);

    private IssuerKeys Create(string issuer)
    {
        var retriever = new KeySetRetriever(time);
        var manager = new ConfigurationManager<SigningKeySet>($"{issuer}/id/keys", retriever, new BoundedDocumentRetriever(clients))
        {
            RefreshInterval = options.Value.Jwt.JwtKeyRefreshInterval,
        };
        return new IssuerKeys(manager, retriever, time);
    }
}

/// <summary>One My Domain's keys.</summary>
internal sealed class IssuerKeys(ConfigurationManager<SigningKeySet> manager, KeySetRetriever retriever, TimeProvider time)
{
    /// <summary>The keys, or null when none could ever be fetched (the caller answers 503).</summary>
    public async ValueTask<SigningKeySet?> GetAsync(CancellationToken cancellationToken)
    {
        // Without any keys yet, a recent failure is answered at once: the keys endpoint is not hit once per request.
        if (retriever.Current is null && retriever.FailedAt is { } failedAt && time.GetUtcNow() - failedAt < JwtSigningKeys.RetryAfterFailure)
        {
            return null;
        }

        try
        {
            return await manager.GetConfigurationAsync(cancellationToken);
        }
        // No keys could be fetched (IDX20803, or whatever the fetch threw): the caller answers 503.
#pragma warning disable CA1031
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>A token named an unknown kid: fetch again in the background, unless that was done within the refresh interval.</summary>
    public void RequestRefresh() => manager.RequestRefresh();
}

/// <summary>The RSA signing keys of a JWKS, by <c>kid</c>.</summary>
internal sealed class SigningKeySet(IReadOnlyDictionary<string, SecurityKey> keys)
{
    public bool TryGet(string? kid, out SecurityKey key)
    {
        key = null!;
        return kid is not null && keys.TryGetValue(kid, out key!);
    }

    /// <summary>RSA keys for signing (<c>use</c> sig or absent, <c>alg</c> RS256 or absent), converted once.</summary>
    public static SigningKeySet Parse(string json)
    {
        var set = new JsonWebKeySet(json);
        var keys = new Dictionary<string, SecurityKey>(StringComparer.Ordinal);
        foreach (var key in set.Keys)
        {
            if (key.Kty == JsonWebAlgorithmsKeyTypes.RSA && key.Kid is not null && key.Alg is null or SecurityAlgorithms.RsaSha256
                && key.Use is null or JsonWebKeyUseNames.Sig && JsonWebKeyConverter.TryConvertToSecurityKey(key, out var converted))
            {
                keys[key.Kid] = converted;
            }
        }

        return new SigningKeySet(keys);
    }
}

/// <summary>Reads a key set, and remembers whether the last attempt failed.</summary>
internal sealed class KeySetRetriever(TimeProvider time) : IConfigurationRetriever<SigningKeySet>
{
    private SigningKeySet? _current;
    private long _failedAtTicks;

    /// <summary>The last key set fetched, or null before the first success.</summary>
    public SigningKeySet? Current => Volatile.Read(ref _current);

    /// <summary>When the last fetch failed, or null when it succeeded (set from the manager's background refresh).</summary>
    public DateTimeOffset? FailedAt => Interlocked.Read(ref _failedAtTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public async Task<SigningKeySet> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        try
        {
            var keys = SigningKeySet.Parse(await retriever.GetDocumentAsync(address, cancel));
            Volatile.Write(ref _current, keys);
            Interlocked.Exchange(ref _failedAtTicks, 0);
            return keys;
        }
        catch
        {
            Interlocked.Exchange(ref _failedAtTicks, time.GetUtcNow().UtcTicks);
            throw;
        }
    }
}

/// <summary>
/// Fetches through the package's own HttpClient (no redirects, the attempt timeout, a bounded answer) rather than
/// IdentityModel's <c>HttpDocumentRetriever</c>, whose client would be outside the application's HttpClient factory.
/// </summary>
internal sealed class BoundedDocumentRetriever(IHttpClientFactory clients) : IDocumentRetriever
{
    public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        var client = clients.CreateClient(JwtSigningKeys.HttpClientName);
        using var response = await client.GetAsync(new Uri(address), HttpCompletionOption.ResponseHeadersRead, cancel);
        response.EnsureSuccessStatusCode();
        await response.Content.LoadIntoBufferAsync(JwtSigningKeys.MaxResponseBytes, cancel);
        return await response.Content.ReadAsStringAsync(cancel);
    }
}
