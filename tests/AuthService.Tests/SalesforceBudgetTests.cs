using AuthService.RateLimiting;

namespace AuthService.Tests;

/// <summary>A limit in front of Salesforce, not in front of the cache: new tokens beyond the budget wait, known ones never do.</summary>
[Collection(SharedRedis.Name)]
public sealed class SalesforceBudgetTests(RedisServerFixture redis)
{
    [Fact]
    public async Task NewTokensBeyondTheBudgetAreRefusedWithoutACallUntilItRefills()
    {
        using var harness = new ValidatorHarness(redis.Redis, limits: limits => (limits.SalesforceBurst, limits.SalesforcePermitsPerSecond) = (3, 1));
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default)).Active);
        }

        var refused = await Assert.ThrowsAsync<SalesforceBudgetExceededException>(() => harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default));
        Assert.Equal(3, harness.Introspections);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default)).Active);
        Assert.Equal(4, harness.Introspections);
    }

    [Fact]
    public async Task KnownTokensAreServedFromTheCacheWhenTheBudgetIsSpent()
    {
        using var harness = new ValidatorHarness(redis.Redis, limits: limits => (limits.SalesforceBurst, limits.SalesforcePermitsPerSecond) = (1, 0.001));
        var known = ValidatorHarness.NewToken();
        Assert.True((await harness.Validator.ValidateAsync(known, default)).Active);
        await Assert.ThrowsAsync<SalesforceBudgetExceededException>(() => harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default));

        for (var i = 0; i < 100; i++)
        {
            Assert.True((await harness.Validator.ValidateAsync(known, default)).Active);
        }

        Assert.Equal(1, harness.Introspections);
    }
}
