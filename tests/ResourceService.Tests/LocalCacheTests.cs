using System.Net;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ResourceService.Tests;

/// <summary>
/// The in-process cache of confirmed tokens: a known token costs no AuthService call, a revocation
/// announced on Redis is heard at once, and nothing is served past the token's life or while
/// revocations cannot be heard.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class LocalCacheTests(RedisServerFixture redis)
{
    private static readonly TimeSpan HearingBudget = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task KnownTokenIsServedWithoutAskingTheAuthServiceAgain()
    {
        await using var host = await StartWithRedisAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();

        using var first = await host.GetAsync("/secured", "token-a");
        using var second = await host.GetAsync("/secured/me", "token-a");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        host.AssertOnlyAuthServiceCalled(1);
    }

    [Fact]
    public async Task RevocationAnnouncedOnRedisIsRefusedAtOnce()
    {
        await using var host = await StartWithRedisAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();
        using (var cached = await host.GetAsync("/secured", "token-b"))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        }

        host.AuthService.Respond = AuthServiceAnswers.Inactive;
        await redis.Redis.GetSubscriber().PublishAsync(RedisChannel.Literal(Revocations.Channel), TokenHash.CacheKeyFor("token-b"));
        await WaitUntilAsync(() => !host.LocalCache.TryGet(LocalValidationCache.KeyFor("token-b"), out _));
        using var afterRevoke = await host.GetAsync("/secured", "token-b");

        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        host.AssertOnlyAuthServiceCalled(2);
    }

    [Fact]
    public async Task CacheNeverOutlivesTheToken()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartWithRedisAsync(time);
        host.AuthService.Respond = AuthServiceAnswers.Active(expiresAt: time.GetUtcNow().AddSeconds(10).ToUnixTimeSeconds());
        using (await host.GetAsync("/secured", "token-c"))
        {
        }

        time.Advance(TimeSpan.FromSeconds(9));
        using (var beforeExpiry = await host.GetAsync("/secured", "token-c"))
        {
            Assert.Equal(HttpStatusCode.OK, beforeExpiry.StatusCode);
        }

        host.AssertOnlyAuthServiceCalled(1);
        time.Advance(TimeSpan.FromSeconds(2));
        using var afterExpiry = await host.GetAsync("/secured", "token-c");

        Assert.Equal(HttpStatusCode.Unauthorized, afterExpiry.StatusCode);
        host.AssertOnlyAuthServiceCalled(2);
    }

    [Fact]
    public async Task CacheNeverOutlivesItsTtl()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartWithRedisAsync(time);
        host.AuthService.Respond = AuthServiceAnswers.Active(expiresAt: time.GetUtcNow().AddHours(2).ToUnixTimeSeconds());
        using (await host.GetAsync("/secured", "token-d"))
        {
        }

        time.Advance(new LocalCacheOptions().Ttl + TimeSpan.FromSeconds(1));
        using var afterTtl = await host.GetAsync("/secured", "token-d");

        Assert.Equal(HttpStatusCode.OK, afterTtl.StatusCode);
        host.AssertOnlyAuthServiceCalled(2);
    }

    [Fact]
    public async Task WhileRevocationsCannotBeHeardEveryRequestAsksTheAuthService()
    {
        await using var proxy = new StallingTcpProxy(redis.Port);
        await using var host = await ResourceServiceHost.StartAsync(redis: $"127.0.0.1:{proxy.Port},abortConnect=false");
        await WaitUntilAsync(() => host.LocalCache.Active);
        host.AuthService.Respond = AuthServiceAnswers.Active();

        await proxy.DisposeAsync();
        await WaitUntilAsync(() => !host.LocalCache.Active);
        using (await host.GetAsync("/secured", "token-e"))
        using (await host.GetAsync("/secured", "token-e"))
        {
        }

        host.AssertOnlyAuthServiceCalled(2);
    }

    [Fact]
    public async Task WithoutRedisTheCacheStaysOffSoRevocationStaysImmediate()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();

        using (await host.GetAsync("/secured", "token-f"))
        using (await host.GetAsync("/secured", "token-f"))
        {
        }

        Assert.False(host.LocalCache.Active);
        host.AssertOnlyAuthServiceCalled(2);
    }

    private async Task<ResourceServiceHost> StartWithRedisAsync(TimeProvider? time = null)
    {
        var host = await ResourceServiceHost.StartAsync(redis: redis.ConnectionString, time: time);
        // The listener subscribes as the host starts; serve from cache only once it hears revocations.
        await WaitUntilAsync(() => host.LocalCache.Active);
        return host;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(HearingBudget);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
