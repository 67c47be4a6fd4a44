using System.Text;
using StackExchange.Redis;

namespace AuthService.Tests;

[Collection(SharedRedis.Name)]
public sealed class TokenCacheTests(RedisServerFixture redis)
{
    [Fact]
    public async Task ValidationIsServedFromCacheUntilTheCeilingThenAskedAgain()
    {
        using var harness = new ValidatorHarness(redis.Redis, cache => cache.MaxTtl = TimeSpan.FromSeconds(60));
        harness.Introspection = () => FakeSalesforce.Active(ValidatorHarness.ClientId, harness.SecondsFromNow(TimeSpan.FromMinutes(10)));
        var token = ValidatorHarness.NewToken();

        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);
        harness.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);
        Assert.Equal(1, harness.Introspections);

        harness.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);
        Assert.Equal(2, harness.Introspections);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    public async Task LoweringTheCeilingTakesEffectAtOnceOnEntriesAlreadyInRedis(int newCeilingSeconds)
    {
        using var harness = new ValidatorHarness(redis.Redis, cache => cache.MaxTtl = TimeSpan.FromMinutes(5));
        harness.Introspection = () => FakeSalesforce.Active(ValidatorHarness.ClientId, harness.SecondsFromNow(TimeSpan.FromMinutes(10)));
        var token = ValidatorHarness.NewToken();
        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);

        harness.CacheOptions.MaxTtl = TimeSpan.FromSeconds(newCeilingSeconds);
        harness.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);

        Assert.Equal(2, harness.Introspections);
    }

    [Fact]
    public async Task ValidationOfAShortLivedTokenDiesBeforeItsExpiryLessTheSkew()
    {
        using var harness = new ValidatorHarness(redis.Redis, cache => cache.ClockSkew = TimeSpan.FromSeconds(5));
        harness.Introspection = () => FakeSalesforce.Active(ValidatorHarness.ClientId, harness.SecondsFromNow(TimeSpan.FromSeconds(20)));
        var token = ValidatorHarness.NewToken();

        await harness.Validator.ValidateAsync(token, default);
        harness.Time.Advance(TimeSpan.FromSeconds(14));
        await harness.Validator.ValidateAsync(token, default);
        Assert.Equal(1, harness.Introspections);

        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await harness.Validator.ValidateAsync(token, default);
        Assert.Equal(2, harness.Introspections);
    }

    [Fact]
    public async Task ATokenPastItsExpiryIsInactiveEvenWhenSalesforceSaysActive()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Introspection = () => FakeSalesforce.Active(ValidatorHarness.ClientId, harness.SecondsFromNow(TimeSpan.FromSeconds(-1)));

        var validation = await harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default);

        Assert.False(validation.Active);
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public async Task ClockSkewWithSalesforceNeverGivesANegativeOrOverlongTtl(int skewSeconds)
    {
        using var harness = new ValidatorHarness(redis.Redis, cache => cache.MaxTtl = TimeSpan.FromMinutes(5));
        var salesforceNow = harness.Time.GetUtcNow().AddSeconds(skewSeconds);
        harness.Introspection = () => FakeSalesforce.Active(ValidatorHarness.ClientId, salesforceNow.AddMinutes(10).ToUnixTimeSeconds());
        var token = ValidatorHarness.NewToken();

        await harness.Validator.ValidateAsync(token, default);
        var ttl = await redis.Redis.GetDatabase().KeyTimeToLiveAsync(RedisKeys.Token(token));

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task InactiveAnswerIsCachedBriefly()
    {
        using var harness = new ValidatorHarness(redis.Redis, cache => cache.InactiveTtl = TimeSpan.FromSeconds(30));
        harness.Introspection = () => FakeSalesforce.Json("""{"active":false}""");
        var token = ValidatorHarness.NewToken();

        await harness.Validator.ValidateAsync(token, default);
        harness.Time.Advance(TimeSpan.FromSeconds(29));
        await harness.Validator.ValidateAsync(token, default);
        Assert.Equal(1, harness.Introspections);

        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await harness.Validator.ValidateAsync(token, default);
        Assert.Equal(2, harness.Introspections);
    }

    [Fact]
    public async Task ForgedEntryWithoutAValidMacIsAMiss()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Introspection = () => FakeSalesforce.Json("""{"active":false}""");
        var token = ValidatorHarness.NewToken();
        var forged = Encoding.UTF8.GetBytes($$"""{"Validation":{"Active":true,"UserId":"005000000000000","OrganizationId":"{{ValidatorHarness.OrgId}}","ExpiresAt":{{harness.SecondsFromNow(TimeSpan.FromHours(1))}}},"CachedUntil":{{harness.Time.GetUtcNow().AddHours(1).ToUnixTimeMilliseconds()}}}""");
        await redis.Redis.GetDatabase().StringSetAsync(RedisKeys.Token(token), new byte[32].Concat(forged).ToArray(), TimeSpan.FromMinutes(1));

        var validation = await harness.Validator.ValidateAsync(token, default);

        Assert.False(validation.Active);
        Assert.Equal(1, harness.Introspections);
    }

    [Fact]
    public async Task EntryCopiedToAnotherTokensKeyIsAMiss()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        var goodToken = ValidatorHarness.NewToken();
        var otherToken = ValidatorHarness.NewToken();
        Assert.True((await harness.Validator.ValidateAsync(goodToken, default)).Active);
        var db = redis.Redis.GetDatabase();
        await db.StringSetAsync(RedisKeys.Token(otherToken), await db.StringGetAsync(RedisKeys.Token(goodToken)), TimeSpan.FromMinutes(1));
        harness.Introspection = () => FakeSalesforce.Json("""{"active":false}""");

        var validation = await harness.Validator.ValidateAsync(otherToken, default);

        Assert.False(validation.Active);
        Assert.Equal(2, harness.Introspections);
    }

    [Fact]
    public async Task RedisDownFallsThroughToSalesforce()
    {
        using var down = RedisServerFixture.ConnectToNothing();
        using var harness = new ValidatorHarness(down);

        var validation = await harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(validation.Active);
        Assert.Equal(1, harness.Introspections);
    }

    [Fact]
    public async Task RedisStalledFallsThroughToSalesforce()
    {
        await using var proxy = new StallingTcpProxy(redis.Port);
        await using var throughProxy = await ConnectionMultiplexer.ConnectAsync(
            $"127.0.0.1:{proxy.Port},abortConnect=false,connectTimeout=2000,syncTimeout=500,asyncTimeout=500");
        using var harness = new ValidatorHarness(throughProxy);
        var token = ValidatorHarness.NewToken();
        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);

        proxy.Stall();
        var validation = await harness.Validator.ValidateAsync(token, default).WaitAsync(TimeSpan.FromSeconds(20));
        proxy.Resume();

        Assert.True(validation.Active);
        Assert.Equal(2, harness.Introspections);
    }

    [Fact]
    public async Task SalesforceDownWhileATokenIsCachedServesItUntilTheTtlThenFails()
    {
        using var harness = new ValidatorHarness(redis.Redis, cache => cache.MaxTtl = TimeSpan.FromSeconds(60));
        var token = ValidatorHarness.NewToken();
        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);
        harness.Introspection = () => FakeSalesforce.Json("{}", System.Net.HttpStatusCode.ServiceUnavailable);

        harness.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);
        harness.Time.Advance(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => harness.Validator.ValidateAsync(token, default));
    }

    [Fact]
    public async Task NoRawTokenIsWrittenToRedis()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        var token = ValidatorHarness.NewToken();

        await harness.Validator.ValidateAsync(token, default);
        var stored = (byte[])(await redis.Redis.GetDatabase().StringGetAsync(RedisKeys.Token(token)))!;

        Assert.Matches("^v1:tok:[0-9a-f]{64}$", RedisKeys.Token(token));
        Assert.DoesNotContain(token, Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
    }
}
