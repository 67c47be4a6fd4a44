using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ResourceService.Tests;

/// <summary>
/// Issue 16: JWT-based access tokens checked in process by the package. A new valid one costs no call at all; every
/// forgery, wrong claim and lifetime is refused without asking anyone; a key rotation is followed; revocations through
/// the AuthService win on every instance; and whatever cannot be vouched for in process goes to the AuthService.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class JwtAccessTokenTests(RedisServerFixture redis)
{
    private static readonly string[] OtherMyDomain = ["https://other.my.salesforce.com"];

    [Fact]
    public async Task NewValidJwtCostsNoCallToTheAuthServiceOrSalesforce()
    {
        await using var jwt = await JwtSetup.StartAsync(redis);
        await jwt.WarmUpAsync();
        var calls = jwt.Host.Outbound.Requests.Count;

        for (var i = 0; i < 5; i++)
        {
            using var response = await jwt.Host.GetAsync("/secured", jwt.Domain.Token(jwt.Time.GetUtcNow(), claims: c => c["scp"] = $"api id s{i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var me = await jwt.Host.GetAsync("/secured/me", jwt.Domain.Token(jwt.Time.GetUtcNow()));
        var caller = await me.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(calls, jwt.Host.Outbound.Requests.Count);
        Assert.Equal(0, jwt.Introspections);
        Assert.Equal(MyDomain.UserId, caller.GetProperty("user_id").GetString());
        Assert.Equal(MyDomain.OrgId, caller.GetProperty("organization_id").GetString());
        Assert.Equal(jwt.Domain.Issuer, caller.GetProperty("instance_url").GetString());
        // A JWT carries no username; the AuthService is not asked for one.
        Assert.Equal(JsonValueKind.Null, caller.GetProperty("username").ValueKind);
    }

    [Fact]
    public async Task FirstJwtFetchesTheSettingsAndTheConfiguredHostsKeysOnceAndOnlyThose()
    {
        await using var jwt = await JwtSetup.StartAsync(redis);

        using var first = await jwt.Host.GetAsync("/secured", jwt.Domain.Token(jwt.Time.GetUtcNow()));
        using var second = await jwt.Host.GetAsync("/secured", jwt.Domain.Token(jwt.Time.GetUtcNow(), claims: c => c["scp"] = "api"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(
            [new Uri(jwt.Host.AuthService.Url, InternalApi.ValidationSettingsPath), new Uri($"{jwt.Domain.Issuer}/id/keys")],
            jwt.Host.Outbound.Requests);
        Assert.Equal(ResourceServiceHost.ApiKey, jwt.Host.AuthService.Requests.Single().ApiKey);
    }

    public static TheoryData<string> Forgeries => ["tampered claims", "another key, same kid", "alg none", "alg HS256 keyed with the JWKS", "alg RS384", "no signature", "not JSON"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task ForgedJwtIsRefusedWithoutAnyCall(string forgery)
    {
        await using var jwt = await JwtSetup.StartAsync(redis);
        await jwt.WarmUpAsync();
        var calls = jwt.Host.Outbound.Requests.Count;
        using var stranger = RSA.Create(2048);
        var now = jwt.Time.GetUtcNow();
        var token = forgery switch
        {
            "tampered claims" => Tamper(jwt.Domain.Token(now, scope: "id"), "\"id\"", "\"id api full\""),
            "another key, same kid" => jwt.Domain.Token(now, signWith: stranger),
            "alg none" => jwt.Domain.Token(now, header: h => h["alg"] = "none"),
            "alg HS256 keyed with the JWKS" => jwt.Domain.Token(now, header: h => h["alg"] = "HS256"),
            "alg RS384" => jwt.Domain.Token(now, header: h => h["alg"] = "RS384"),
            "not JSON" => "eyJub3QganNvbg.eyJub3QganNvbg.c2lnbmF0dXJl",
            _ => jwt.Domain.Token(now)[..(jwt.Domain.Token(now).LastIndexOf('.') + 1)],
        };

        using var response = await jwt.Host.GetAsync("/secured", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(calls, jwt.Host.Outbound.Requests.Count);
    }

    public static TheoryData<string, HttpStatusCode> Claims => new()
    {
        { "issuer not configured", HttpStatusCode.Unauthorized },
        { "audience another My Domain", HttpStatusCode.Unauthorized },
        { "no audience", HttpStatusCode.Unauthorized },
        { "client_id another app's", HttpStatusCode.Unauthorized },
        { "org not allowed", HttpStatusCode.Unauthorized },
        { "no tnk", HttpStatusCode.Unauthorized },
        { "not an access token (no tty)", HttpStatusCode.Unauthorized },
        { "sub not a user", HttpStatusCode.Unauthorized },
        { "expired 31 s ago", HttpStatusCode.Unauthorized },
        { "no exp", HttpStatusCode.Unauthorized },
        { "nbf 31 s ahead", HttpStatusCode.Unauthorized },
        { "expired 29 s ago (within the skew)", HttpStatusCode.OK },
        { "nbf 29 s ahead (within the skew)", HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Claims))]
    public async Task ClaimsAreCheckedInProcessWithAtMost30SecondsOfSkew(string claim, HttpStatusCode expected)
    {
        await using var jwt = await JwtSetup.StartAsync(redis, allowedOrgs: [MyDomain.OrgId[..15]]);
        await jwt.WarmUpAsync();
        var calls = jwt.Host.Outbound.Requests.Count;
        var now = jwt.Time.GetUtcNow();
        var token = claim switch
        {
            "issuer not configured" => jwt.Domain.Token(now, claims: c => (c["iss"], c["aud"]) = (OtherMyDomain[0], OtherMyDomain)),
            "audience another My Domain" => jwt.Domain.Token(now, claims: c => c["aud"] = OtherMyDomain),
            "no audience" => jwt.Domain.Token(now, claims: c => c["aud"] = null),
            "client_id another app's" => jwt.Domain.Token(now, claims: c => c["client_id"] = "other-connected-app"),
            "org not allowed" => jwt.Domain.Token(now, header: h => h["tnk"] = "core/test/00DgK000000OMLxUAO"),
            "no tnk" => jwt.Domain.Token(now, header: h => h["tnk"] = null),
            "not an access token (no tty)" => jwt.Domain.Token(now, header: h => h["tty"] = null),
            "sub not a user" => jwt.Domain.Token(now, claims: c => c["sub"] = MyDomain.UserId),
            "expired 31 s ago" => jwt.Domain.Token(now.AddHours(-2).AddSeconds(-31)),
            "no exp" => jwt.Domain.Token(now, claims: c => c["exp"] = null),
            "nbf 31 s ahead" => jwt.Domain.Token(now, claims: c => c["nbf"] = now.AddSeconds(31).ToUnixTimeSeconds()),
            "expired 29 s ago (within the skew)" => jwt.Domain.Token(now.AddHours(-2).AddSeconds(-29), claims: c => c["iat"] = now.ToUnixTimeSeconds()),
            _ => jwt.Domain.Token(now, claims: c => c["nbf"] = now.AddSeconds(29).ToUnixTimeSeconds()),
        };

        using var response = await jwt.Host.GetAsync("/secured", token);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(calls, jwt.Host.Outbound.Requests.Count);
    }

    [Fact]
    public async Task SecondOrgsJwtIsRefusedUnlessTheAuthServiceNamesItsMyDomainAndAllowsIt()
    {
        await using var second = await MyDomain.StartAsync("00DgK000000OMLxUAO");
        int fetchesBefore;
        await using (var notNamed = await JwtSetup.StartAsync(redis))
        {
            await notNamed.WarmUpAsync();
            var calls = notNamed.Host.Outbound.Requests.Count;
            using var refused = await notNamed.Host.GetAsync("/secured", second.Token(notNamed.Time.GetUtcNow()));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(calls, notNamed.Host.Outbound.Requests.Count);
        }

        await using (var namedNotAllowed = await JwtSetup.StartAsync(redis, allowedOrgs: [MyDomain.OrgId[..15]], moreIssuers: [second.Issuer]))
        {
            using var refused = await namedNotAllowed.Host.GetAsync("/secured", second.Token(namedNotAllowed.Time.GetUtcNow()));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(0, namedNotAllowed.Introspections);
        }

        fetchesBefore = second.KeyFetches;
        await using var allowed = await JwtSetup.StartAsync(redis, allowedOrgs: [MyDomain.OrgId[..15], second.Org[..15]], moreIssuers: [second.Issuer]);
        using var accepted = await allowed.Host.GetAsync("/secured/me", second.Token(allowed.Time.GetUtcNow()));
        var caller = await accepted.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(second.Issuer, caller.GetProperty("instance_url").GetString());
        Assert.Equal(second.Org, caller.GetProperty("organization_id").GetString());
        Assert.Equal(0, allowed.Introspections);
        Assert.Equal(0, allowed.Domain.KeyFetches);
        Assert.Equal(fetchesBefore + 1, second.KeyFetches);
    }

    [Fact]
    public async Task UnknownKidFetchesTheKeysAgainOnceThenTheNewKeyIsCheckedInProcess()
    {
        await using var jwt = await JwtSetup.StartAsync(redis);
        await jwt.WarmUpAsync();
        jwt.Domain.AddKey();
        jwt.Introspect = AuthServiceAnswers.Active();

        // The first token of the new key: the keys are fetched again, and the AuthService vouches for this one meanwhile.
        using var rotated = await jwt.Host.GetAsync("/secured", jwt.Domain.Token(jwt.Time.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(1, jwt.Introspections);
        await Eventually.TrueAsync(() => jwt.Domain.KeyFetches == 2);
        await jwt.EventuallyAcceptedWithoutIntrospectionAsync();

        // Made-up kids cause no more fetches within the refresh interval; the AuthService judges them.
        jwt.Introspect = AuthServiceAnswers.Inactive;
        for (var i = 0; i < 5; i++)
        {
            using var madeUp = await jwt.Host.GetAsync("/secured", jwt.Domain.Token(jwt.Time.GetUtcNow(), kid: $"made-up-{i}"));
            Assert.Equal(HttpStatusCode.Unauthorized, madeUp.StatusCode);
        }

        Assert.Equal(2, jwt.Domain.KeyFetches);
    }

    [Fact]
    public async Task KeysEndpointDownGives503WithRetryAfterAndOpaqueTokensAreUnaffected()
    {
        await using var jwt = await JwtSetup.StartAsync(redis);
        jwt.Domain.KeysFault = HttpStatusCode.ServiceUnavailable;
        jwt.Introspect = AuthServiceAnswers.Active();

        using var first = await jwt.Host.GetAsync("/secured", jwt.Domain.Token(jwt.Time.GetUtcNow()));
        using var second = await jwt.Host.GetAsync("/secured", jwt.Domain.Token(jwt.Time.GetUtcNow(), claims: c => c["scp"] = "api"));
        using var opaque = await jwt.Host.GetAsync("/secured", "00D5g000004ABCD!opaque-token");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, opaque.StatusCode);
        // One fetch: the second token was answered from the recent failure, and no JWT was passed off to the AuthService.
        Assert.Equal(1, jwt.Domain.KeyFetches);
        Assert.Equal(1, jwt.Introspections);

        jwt.Domain.KeysFault = null;
        jwt.Time.Advance(TimeSpan.FromSeconds(6));
        await jwt.EventuallyAcceptedWithoutIntrospectionAsync();
    }

    [Fact]
    public async Task RevokedJwtIsRefusedByEveryInstanceUntilItExpiresNotOnlyUntilItsEntryEnds()
    {
        await using var one = await JwtSetup.StartAsync(redis);
        await using var two = await JwtSetup.StartAsync(redis, domain: one.Domain, time: one.Time);
        var token = one.Domain.Token(one.Time.GetUtcNow());
        foreach (var instance in new[] { one, two })
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(instance, token));
        }

        await redis.Redis.GetSubscriber().PublishAsync(RedisChannel.Literal(Revocations.Channel), TokenHash.CacheKeyFor(token));
        await Eventually.TrueAsync(() => !one.Host.LocalCache.TryGet(TokenHash.Of(token), out _) && !two.Host.LocalCache.TryGet(TokenHash.Of(token), out _));

        foreach (var instance in new[] { one, two })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(instance, token));
        }

        // Past the refused entry's 5 s and the confirmed one's 30 s, the token would check out again: it must not.
        one.Time.Advance(TimeSpan.FromMinutes(1));
        foreach (var instance in new[] { one, two })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(instance, token));
            Assert.Equal(0, instance.Introspections);
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(one, one.Domain.Token(one.Time.GetUtcNow())));
    }

    [Fact]
    public async Task WithoutRevocationsHeardJwtsAreAskedOfTheAuthService()
    {
        await using var jwt = await JwtSetup.StartAsync(redis: null);
        jwt.Introspect = AuthServiceAnswers.Active();

        using var first = await jwt.Host.GetAsync("/secured", jwt.Domain.Token(jwt.Time.GetUtcNow()));
        using var again = await jwt.Host.GetAsync("/secured", jwt.Domain.Token(jwt.Time.GetUtcNow(), claims: c => c["scp"] = "api"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(2, jwt.Introspections);
        Assert.Equal(0, jwt.Domain.KeyFetches);
    }

    [Fact]
    public async Task WhenRedisDropsJwtsGoBackToTheAuthService()
    {
        await using var proxy = new StallingTcpProxy(redis.Port);
        await using var jwt = await JwtSetup.StartAsync(redis, redisConnection: $"127.0.0.1:{proxy.Port},abortConnect=false");
        await jwt.WarmUpAsync();
        var issuedBeforeTheDrop = jwt.Domain.Token(jwt.Time.GetUtcNow());
        jwt.Introspect = AuthServiceAnswers.Active();

        await proxy.DisposeAsync();
        await Eventually.TrueAsync(() => jwt.Host.LocalCache.ListeningSince is null);
        using var whileDeaf = await jwt.Host.GetAsync("/secured", issuedBeforeTheDrop);

        Assert.Equal(HttpStatusCode.OK, whileDeaf.StatusCode);
        Assert.Equal(1, jwt.Introspections);
    }

    [Fact]
    public async Task JwtIssuedBeforeThisInstanceHeardRevocationsIsAskedOfTheAuthServiceOnce()
    {
        await using var jwt = await JwtSetup.StartAsync(redis);
        await jwt.WarmUpAsync();
        jwt.Introspect = AuthServiceAnswers.Active();
        var listeningSince = jwt.Host.LocalCache.ListeningSince!.Value;
        var older = jwt.Domain.Token(listeningSince.AddMinutes(-10));

        using var first = await jwt.Host.GetAsync("/secured", older);
        using var cached = await jwt.Host.GetAsync("/secured", older);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal(1, jwt.Introspections);
    }

    [Fact]
    public async Task WithoutTheAuthServicesSettingsJwtsAreAskedOfTheAuthService()
    {
        await using var jwt = await JwtSetup.StartAsync(redis, settingsStatus: HttpStatusCode.NotFound);
        jwt.Introspect = AuthServiceAnswers.Active();

        using var first = await jwt.Host.GetAsync("/secured", jwt.Domain.Token(jwt.Time.GetUtcNow()));
        using var second = await jwt.Host.GetAsync("/secured", jwt.Domain.Token(jwt.Time.GetUtcNow(), claims: c => c["scp"] = "api"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, jwt.Introspections);
        // Asked once, then not again within its pause: not once per token.
        Assert.Single(jwt.Host.AuthService.Requests, r => r.Path == InternalApi.ValidationSettingsPath);
        Assert.Equal(0, jwt.Domain.KeyFetches);
    }

    [Fact]
    public async Task JwtAccessTokensOffAsksTheAuthServiceForEveryNewToken()
    {
        await using var jwt = await JwtSetup.StartAsync(redis, mode: "Off");
        jwt.Introspect = AuthServiceAnswers.Active();

        using var response = await jwt.Host.GetAsync("/secured", jwt.Domain.Token(jwt.Time.GetUtcNow()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, jwt.Introspections);
        Assert.Equal(0, jwt.Domain.KeyFetches);
        Assert.DoesNotContain(jwt.Host.AuthService.Requests, r => r.Path == InternalApi.ValidationSettingsPath);
    }

    [Fact]
    public async Task OpaqueTokensNeverCauseASettingsOrKeysCall()
    {
        await using var jwt = await JwtSetup.StartAsync(redis);
        jwt.Introspect = AuthServiceAnswers.Active();

        using var response = await jwt.Host.GetAsync("/secured", "00D5g000004ABCD!AQEAQFLA6K3vv6dDaHV5");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        jwt.Host.AssertOnlyAuthServiceCalled(1);
    }

    private static async Task<HttpStatusCode> StatusAsync(JwtSetup jwt, string token)
    {
        using var response = await jwt.Host.GetAsync("/secured", token);
        return response.StatusCode;
    }

    private static string Tamper(string token, string from, string to)
    {
        var parts = token.Split('.');
        var claims = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/'))));
        Assert.Contains(from, claims, StringComparison.Ordinal);
        var forged = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(claims.Replace(from, to, StringComparison.Ordinal))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{parts[0]}.{forged}.{parts[2]}";
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');

    /// <summary>A ResourceService on a fake clock and the shared Redis, its fake AuthService publishing settings that name one My Domain.</summary>
    private sealed class JwtSetup : IAsyncDisposable
    {
        private readonly bool _ownsDomain;

        private JwtSetup(ResourceServiceHost host, MyDomain domain, FakeTimeProvider time, bool ownsDomain)
        {
            Host = host;
            Domain = domain;
            Time = time;
            _ownsDomain = ownsDomain;
        }

        public ResourceServiceHost Host { get; }

        public MyDomain Domain { get; }

        public FakeTimeProvider Time { get; }

        /// <summary>The fake AuthService's answer to introspection; tests that expect none leave it failing.</summary>
        public Func<HttpContext, Task> Introspect { get; set; } = AuthServiceAnswers.Status(HttpStatusCode.InternalServerError);

        public int Introspections => Host.AuthService.Requests.Count(r => r.Path == InternalApi.IntrospectionPath);

        public static async Task<JwtSetup> StartAsync(
            RedisServerFixture? redis, string[]? allowedOrgs = null, string[]? moreIssuers = null, MyDomain? domain = null, FakeTimeProvider? time = null,
            string? redisConnection = null, HttpStatusCode settingsStatus = HttpStatusCode.OK, string mode = "Local")
        {
            var owned = domain is null;
            domain ??= await MyDomain.StartAsync();
            time ??= new FakeTimeProvider(DateTimeOffset.UtcNow);
            var host = await ResourceServiceHost.StartAsync(
                redis: redisConnection ?? redis?.ConnectionString,
                time: time,
                services: services => services.PostConfigure<SalesforceTokenValidationOptions>(o => o.Jwt.JwtAccessTokens = Enum.Parse<JwtAccessTokenMode>(mode)));
            var setup = new JwtSetup(host, domain, time, owned);
            var settings = new ValidationSettings(MyDomain.ClientId, [domain.Issuer, .. moreIssuers ?? []], allowedOrgs ?? []);
            host.AuthService.Respond = context => context.Request.Path == InternalApi.ValidationSettingsPath
                ? settingsStatus == HttpStatusCode.OK
                    ? AuthServiceAnswers.Json(JsonSerializer.Serialize(settings, ContractJsonContext.Default.ValidationSettings))(context)
                    : AuthServiceAnswers.Status(settingsStatus)(context)
                : setup.Introspect(context);
            if (redis is not null || redisConnection is not null)
            {
                await Eventually.TrueAsync(() => host.LocalCache.ListeningSince is not null, TimeSpan.FromSeconds(30));
                // Tokens issued from here on were issued after this instance began hearing revocations (beyond the skew).
                time.Advance(TimeSpan.FromSeconds(31));
            }

            return setup;
        }

        /// <summary>The first JWT fetches the settings and keys; later ones need nothing.</summary>
        public async Task WarmUpAsync()
        {
            using var response = await Host.GetAsync("/secured", Domain.Token(Time.GetUtcNow(), claims: c => c["scp"] = "warm-up"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        /// <summary>Polls with new tokens until one is accepted in process (a key fetch in the background has landed).</summary>
        public async Task EventuallyAcceptedWithoutIntrospectionAsync()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            for (var i = 0; ; i++)
            {
                var before = Introspections;
                using var response = await Host.GetAsync("/secured", Domain.Token(Time.GetUtcNow(), claims: c => c["scp"] = $"poll{i}"));
                if (response.StatusCode == HttpStatusCode.OK && Introspections == before)
                {
                    return;
                }

                await Task.Delay(20, deadline.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            if (_ownsDomain)
            {
                await Domain.DisposeAsync();
            }
        }
    }
}
