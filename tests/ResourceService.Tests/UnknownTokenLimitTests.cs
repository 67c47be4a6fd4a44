using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ResourceService.Tests;

/// <summary>
/// Issue 14 item 3: one client address flooding made-up tokens costs the AuthService a bounded number of calls
/// and then gets 429, while other addresses and tokens already confirmed are served; a token the AuthService
/// called inactive is refused for a few seconds without asking again. The clock is frozen, so no permit refills.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class UnknownTokenLimitTests(RedisServerFixture redis)
{
    private const string Flooder = "198.51.100.7";
    private const string Bystander = "203.0.113.20";
    private const string ValidPrefix = "00D000000000001!valid.";

    [Fact]
    public async Task MadeUpTokensFromOneAddressCauseABoundedNumberOfCallsWhileAnotherAddressIsServed()
    {
        await using var host = await StartAsync();

        var statuses = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            statuses.Add((await SendAsync(host, Flooder, $"made-up-{i}")).Response.StatusCode);
        }

        var bystander = await SendAsync(host, Bystander, ValidPrefix + "bystander");

        Assert.Equal(new UnknownTokenOptions().Burst, host.AuthService.Requests.Count(r => r.Form["token"].StartsWith("made-up-", StringComparison.Ordinal)));
        Assert.Equal(new UnknownTokenOptions().Burst, statuses.Count(s => s == StatusCodes.Status401Unauthorized));
        Assert.Equal(200 - new UnknownTokenOptions().Burst, statuses.Count(s => s == StatusCodes.Status429TooManyRequests));
        Assert.Equal(StatusCodes.Status200OK, bystander.Response.StatusCode);
    }

    [Fact]
    public async Task TooManyUnknownTokensGet429WithRetryAfterAndTheJsonErrorBody()
    {
        await using var host = await StartAsync();
        for (var i = 0; i < new UnknownTokenOptions().Burst; i++)
        {
            await SendAsync(host, Flooder, $"made-up-{i}");
        }

        var limited = await SendAsync(host, Flooder, "made-up-one-too-many");

        Assert.Equal(StatusCodes.Status429TooManyRequests, limited.Response.StatusCode);
        Assert.True(int.Parse(limited.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1, "429 carries Retry-After in seconds");
        using var body = await JsonDocument.ParseAsync(limited.Response.Body);
        Assert.Equal("slow_down", body.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.RootElement.GetProperty("error_description").GetString()));
        Assert.DoesNotContain(host.AuthService.Requests, r => r.Form["token"] == "made-up-one-too-many");
    }

    [Fact]
    public async Task ConfirmedTokenFromTheFloodingAddressIsStillServed()
    {
        await using var host = await StartAsync(withRedis: true);
        Assert.Equal(StatusCodes.Status200OK, (await SendAsync(host, Flooder, ValidPrefix + "mine")).Response.StatusCode);
        for (var i = 0; i < 200; i++)
        {
            await SendAsync(host, Flooder, $"made-up-{i}");
        }

        var confirmed = await SendAsync(host, Flooder, ValidPrefix + "mine");

        Assert.Equal(StatusCodes.Status200OK, confirmed.Response.StatusCode);
        Assert.Single(host.AuthService.Requests, r => r.Form["token"] == ValidPrefix + "mine");
    }

    [Fact]
    public async Task NewValidTokensFromOneAddressAreNotLimited()
    {
        await using var host = await StartAsync();

        var statuses = new List<int>();
        for (var i = 0; i < 3 * new UnknownTokenOptions().Burst; i++)
        {
            statuses.Add((await SendAsync(host, Flooder, $"{ValidPrefix}{i}")).Response.StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(StatusCodes.Status200OK, status));
    }

    [Fact]
    public async Task AFloodOfOneInactiveTokenCostsOneCallUntilItsShortCacheEnds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(time: time);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(StatusCodes.Status401Unauthorized, (await SendAsync(host, Flooder, "revoked-long-ago")).Response.StatusCode);
        }

        Assert.Single(host.AuthService.Requests);
        time.Advance(new UnknownTokenOptions().InactiveTtl + TimeSpan.FromSeconds(1));
        Assert.Equal(StatusCodes.Status401Unauthorized, (await SendAsync(host, Flooder, "revoked-long-ago")).Response.StatusCode);
        Assert.Equal(2, host.AuthService.Requests.Count);
    }

    /// <summary>
    /// Behind Heroku's router the address is the one the framework's forwarded-headers middleware settled on
    /// with one hop trusted: the router's own entry, the last one. What a client prepends changes nothing.
    /// </summary>
    [Fact]
    public async Task ForwardedForIsTrustedOneHopOnly()
    {
        await using var host = await StartAsync(forwardedHeaders: true);
        const string router = "10.1.2.3";

        var statuses = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            // A different spoofed address each time; the router appends the one it saw.
            statuses.Add((await SendAsync(host, router, $"made-up-{i}", forwardedFor: $"192.0.2.{i % 250}, {Flooder}")).Response.StatusCode);
        }

        var bystander = await SendAsync(host, router, ValidPrefix + "bystander", forwardedFor: $"{Flooder}, {Bystander}");

        Assert.Equal(200 - new UnknownTokenOptions().Burst, statuses.Count(s => s == StatusCodes.Status429TooManyRequests));
        Assert.Equal(StatusCodes.Status200OK, bystander.Response.StatusCode);
    }

    private async Task<ResourceServiceHost> StartAsync(bool withRedis = false, bool forwardedHeaders = false, FakeTimeProvider? time = null)
    {
        var host = await ResourceServiceHost.StartAsync(
            redis: withRedis ? redis.ConnectionString : null,
            time: time ?? new FakeTimeProvider(DateTimeOffset.UtcNow),
            services: forwardedHeaders ? TrustOneForwardedHop : null);
        host.AuthService.Respond = context => context.Request.Form["token"].ToString().StartsWith(ValidPrefix, StringComparison.Ordinal)
            ? AuthServiceAnswers.Active()(context)
            : AuthServiceAnswers.Inactive(context);
        if (withRedis)
        {
            await Eventually.TrueAsync(() => host.LocalCache.Active);
        }

        return host;
    }

    private static Task<HttpContext> SendAsync(ResourceServiceHost host, string address, string token, string? forwardedFor = null) =>
        host.SendRawAsync("/secured", request =>
        {
            request.HttpContext.Connection.RemoteIpAddress = IPAddress.Parse(address);
            request.Headers.Authorization = "Bearer " + token;
            if (forwardedFor is not null)
            {
                request.Headers["X-Forwarded-For"] = forwardedFor;
            }
        });

    /// <summary>The forwarded-headers middleware as ASPNETCORE_FORWARDEDHEADERS_ENABLED=true sets it up (Dockerfile.resource).</summary>
    private static void TrustOneForwardedHop(IServiceCollection services)
    {
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
        });
        services.AddTransient<IStartupFilter, ForwardedHeadersFirst>();
    }

    private sealed class ForwardedHeadersFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseForwardedHeaders();
            next(app);
        };
    }
}
