using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ResourceService.Tests;

/// <summary>
/// Issue 15: a confirmed token still in use is asked about again in the background before its entry ends, so its
/// users never wait for (or lose to) a revalidation; and entries cached together are not refreshed together.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class RefreshAheadTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Ttl = new LocalCacheOptions().Ttl;

    [Fact]
    public async Task TokenInUseIsRefreshedBeforeItsEntryEndsSoAnAuthServiceOutageLaterIsNotFelt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(time);
        host.AuthService.Respond = AuthServiceAnswers.Active(expiresAt: time.GetUtcNow().AddHours(2).ToUnixTimeSeconds());
        using (await host.GetAsync("/secured", "token-in-use"))
        {
        }

        Assert.True(host.LocalCache.TryGet(LocalValidationCache.KeyFor("token-in-use"), out var first));
        time.Advance(Ttl * 0.95);
        using (var late = await host.GetAsync("/secured", "token-in-use"))
        {
            Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        }

        // The refreshed entry replaces the first once the background call has its answer.
        await Eventually.TrueAsync(() => host.LocalCache.TryGet(LocalValidationCache.KeyFor("token-in-use"), out var current) && current != first);
        host.AuthService.Respond = AuthServiceAnswers.Status(HttpStatusCode.InternalServerError);
        time.Advance(Ttl * 0.5);
        using var afterTheFirstEntryEnded = await host.GetAsync("/secured", "token-in-use");

        Assert.Equal(HttpStatusCode.OK, afterTheFirstEntryEnded.StatusCode);
        host.AssertOnlyAuthServiceCalled(2);
    }

    [Fact]
    public async Task ARefreshWithTheSameAnswerKeepsTheCallerItBuiltAndDoesNotRunItsEventAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var validations = 0;
        await using var host = await StartAsync(time, services => services.Configure<SalesforceTokenOptions>(
            SalesforceTokenDefaults.AuthenticationScheme,
            options => options.Events.OnTokenValidated = _ => Task.FromResult(Interlocked.Increment(ref validations))));
        host.AuthService.Respond = AuthServiceAnswers.Active(expiresAt: time.GetUtcNow().AddHours(2).ToUnixTimeSeconds());
        using (await host.GetAsync("/secured", "same-answer"))
        {
        }

        Assert.True(host.LocalCache.TryGet(LocalValidationCache.KeyFor("same-answer"), out var first));
        time.Advance(Ttl * 0.95);
        using (await host.GetAsync("/secured", "same-answer"))
        {
        }

        await Eventually.TrueAsync(() => host.LocalCache.TryGet(LocalValidationCache.KeyFor("same-answer"), out var current) && current != first);
        time.Advance(Ttl * 0.5);
        using var afterRefresh = await host.GetAsync("/secured", "same-answer");

        Assert.Equal(HttpStatusCode.OK, afterRefresh.StatusCode);
        host.AssertOnlyAuthServiceCalled(2);
        Assert.Equal(1, validations);
    }

    [Fact]
    public async Task EntriesCachedTogetherAreRefreshedAtDifferentTimes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(time);
        host.AuthService.Respond = AuthServiceAnswers.Active(expiresAt: time.GetUtcNow().AddHours(2).ToUnixTimeSeconds());
        var tokens = Enumerable.Range(0, 40).Select(i => $"token-{i}").ToList();
        foreach (var token in tokens)
        {
            using var first = await host.GetAsync("/secured", token);
        }

        // Halfway between the earliest and the latest refresh point (50 % and 90 % of the entry's life).
        time.Advance(Ttl * 0.7);
        foreach (var token in tokens)
        {
            using var again = await host.GetAsync("/secured", token);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        await Task.Delay(500);
        var refreshed = host.AuthService.Requests.Count - tokens.Count;
        Assert.InRange(refreshed, 1, tokens.Count - 1);
    }

    [Fact]
    public async Task TokenThatOutlivesNoEntryIsNotRefreshed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(time);
        host.AuthService.Respond = AuthServiceAnswers.Active(expiresAt: time.GetUtcNow().Add(Ttl * 0.5).ToUnixTimeSeconds());
        using (await host.GetAsync("/secured", "short-lived"))
        {
        }

        time.Advance(Ttl * 0.45);
        using var late = await host.GetAsync("/secured", "short-lived");
        await Task.Delay(300);

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        host.AssertOnlyAuthServiceCalled(1);
    }

    private async Task<ResourceServiceHost> StartAsync(TimeProvider time, Action<IServiceCollection>? services = null)
    {
        var host = await ResourceServiceHost.StartAsync(redis: redis.ConnectionString, time: time, services: services);
        await Eventually.TrueAsync(() => host.LocalCache.Active);
        return host;
    }
}
