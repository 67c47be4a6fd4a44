using AuthService.Tokens;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace AuthService.Tests;

/// <summary>
/// Write access to Redis must not undo a revocation: a validation captured before a revoke and written back
/// after it is refused by the instances that heard the revoke (their memory) and by those that started later
/// (they trust no entry older than the moment they began hearing revocations).
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class RevocationReplayTests(RedisServerFixture redis)
{
    [Fact]
    public async Task EntryCapturedBeforeARevokeAndWrittenBackIsRefusedByTheInstanceThatHeardIt()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        var token = ValidatorHarness.NewToken();
        var key = RedisKeys.Token(token);
        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);
        var captured = await redis.Redis.GetDatabase().StringGetAsync(key);

        await harness.Validator.RevokeAsync(token, []);
        await redis.Redis.GetDatabase().StringSetAsync(key, captured, TimeSpan.FromMinutes(5));

        Assert.False((await harness.Validator.ValidateAsync(token, default)).Active);
        Assert.Equal(1, harness.Introspections);
    }

    [Fact]
    public async Task EntryWrittenBeforeAnInstanceBeganHearingRevocationsIsAskedOfSalesforceAgain()
    {
        using var before = new ValidatorHarness(redis.Redis);
        var token = ValidatorHarness.NewToken();
        Assert.True((await before.Validator.ValidateAsync(token, default)).Active);
        // Revoked while the later instance was not running: it never hears of it, and Salesforce now says inactive.
        using var later = new ValidatorHarness(redis.Redis);
        later.Time.SetUtcNow(before.Time.GetUtcNow().AddSeconds(1));
        later.Revocations.StartListening();
        later.Introspection = () => FakeSalesforce.Json("""{"active":false}""");

        Assert.False((await later.Validator.ValidateAsync(token, default)).Active);
        Assert.Equal(1, later.Introspections);
    }

    [Fact]
    public async Task AnEntryTooOldToTrustIsReplacedSoTheNextLookupIsAHit()
    {
        using var before = new ValidatorHarness(redis.Redis);
        var token = ValidatorHarness.NewToken();
        Assert.True((await before.Validator.ValidateAsync(token, default)).Active);
        using var later = new ValidatorHarness(redis.Redis);
        later.Time.SetUtcNow(before.Time.GetUtcNow().AddSeconds(1));
        later.Revocations.StartListening();

        Assert.True((await later.Validator.ValidateAsync(token, default)).Active);
        Assert.True((await later.Validator.ValidateAsync(token, default)).Active);

        Assert.Equal(1, later.Introspections);
    }

    [Fact]
    public async Task ATombstoneIsNeverReplacedByAValidationThatWasOnItsWay()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        var token = ValidatorHarness.NewToken();
        var key = RedisKeys.Token(token);
        var db = redis.Redis.GetDatabase();
        await db.StringSetAsync(key, "stale, unusable value", TimeSpan.FromMinutes(5));
        var lookup = await harness.Cache.GetAsync(key);
        Assert.Null(lookup.Validation);

        await harness.Cache.RevokeAsync(key);
        await harness.Cache.SetAsync(key, new TokenValidation(true, UserId: "0055g00000DEMOUAA5", OrganizationId: ValidatorHarness.OrgId, ExpiresAt: harness.SecondsFromNow(TimeSpan.FromHours(1))), replacing: lookup.Stored);

        using var fresh = new ValidatorHarness(redis.Redis);
        Assert.False((await fresh.Cache.GetAsync(key)).Validation!.Active);
    }

    [Fact]
    public async Task AnInstanceThatCannotHearRevocationsTrustsNoCachedValidation()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        var token = ValidatorHarness.NewToken();
        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);

        harness.Revocations.StopListening();
        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);

        Assert.Equal(2, harness.Introspections);
    }

    [Fact]
    public async Task RevocationsAnnouncedByOneInstanceAreHeardByAnother()
    {
        using var revoking = new ValidatorHarness(redis.Redis);
        using var hearing = new ValidatorHarness(redis.Redis);
        var subscriber = new RevocationSubscriber(redis.Redis, hearing.Revocations, NullLogger<RevocationSubscriber>.Instance);
        await subscriber.StartAsync(default);
        var key = RedisKeys.Token(ValidatorHarness.NewToken());
        try
        {
            await revoking.Cache.RevokeAsync(key);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!hearing.Revocations.IsRevoked(key))
            {
                await Task.Delay(10, timeout.Token);
            }
        }
        finally
        {
            await subscriber.StopAsync(default);
        }

        Assert.True(hearing.Revocations.IsRevoked(key));
    }

    [Fact]
    public async Task ASubscriptionStartedBeforeRedisAnswersListensOnceRedisDoes()
    {
        // Redis unreachable while the service starts (an unconnected multiplexer, AbortOnConnectFail=false): nothing is
        // trusted, and listening begins by itself once Redis answers.
        await using var proxy = new StallingTcpProxy(redis.Port);
        proxy.Stall();
        await using var late = await ConnectionMultiplexer.ConnectAsync(
            $"127.0.0.1:{proxy.Port},abortConnect=false,connectTimeout=500,syncTimeout=500,asyncTimeout=500");
        var memory = new RevocationMemory(TimeProvider.System);
        var subscriber = new RevocationSubscriber(late, memory, NullLogger<RevocationSubscriber>.Instance);
        await subscriber.StartAsync(default);
        try
        {
            Assert.False(memory.Trusts(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

            proxy.Resume();

            await Eventually.TrueAsync(() => memory.Trusts(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), TimeSpan.FromSeconds(20));
        }
        finally
        {
            await subscriber.StopAsync(default);
            subscriber.Dispose();
        }
    }

    [Fact]
    public void ARevocationIsRememberedForTheLongestSessionThenForgotten()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var memory = new RevocationMemory(time);

        var key = RedisKeys.Token(ValidatorHarness.NewToken());
        memory.Revoked(key);
        time.Advance(RevocationMemory.RememberFor - TimeSpan.FromSeconds(1));
        Assert.True(memory.IsRevoked(key));

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(memory.IsRevoked(key));
    }
}
