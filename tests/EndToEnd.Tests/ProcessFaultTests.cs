using System.Net;
using Aspire.Hosting.ApplicationModel;

namespace EndToEnd.Tests;

/// <summary>
/// Checklist E34 and E35 with the real Redis stopped or stalled through the orchestrator. (E38, the
/// AuthService down, is proved in ResourceService.Tests against a real server that is stopped: stopping a
/// `dotnet run` project through DCP proved unreliable on a loaded 2-core machine.)
/// </summary>
[Collection(SharedAspireApp.Name)]
public sealed class ProcessFaultTests(AspireAppFixture fixture)
{
    [Fact]
    public async Task WithRedisStoppedWebServerTokensAreStillValidatedThroughSalesforceAndPasswordTokensFailClosed()
    {
        // Logging in needs Redis (state and PKCE; the record of a password-grant token), so every token comes first,
        // once the AuthService has its Redis back from whatever fault an earlier test made.
        await AuthServiceReadyAsync();
        var cachedToken = (await AppLogin.GetTokensAsync(fixture)).AccessToken!;
        var freshToken = (await AppLogin.GetTokensAsync(fixture)).AccessToken!;
        var passwordToken = await fixture.GetPasswordGrantTokenAsync();
        using var resource = fixture.CreateClient("resourceservice");
        using var auth = fixture.CreateClient("authservice");
        foreach (var token in new[] { cachedToken, passwordToken })
        {
            Assert.Equal(HttpStatusCode.OK, await WarmAsync(resource, token));
        }

        await StopAsync("cache");
        try
        {
            var before = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Introspect);

            using var cached = await resource.SendAsync(ProtectedRouteTests.Get("/secured", cachedToken));
            using var fresh = await resource.SendAsync(ProtectedRouteTests.Get("/secured", freshToken));
            var introspections = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Introspect);
            // Whether a Session ID was obtained here is known only to Redis: without it, neither 200 nor 401.
            using var password = await resource.SendAsync(ProtectedRouteTests.Get("/secured", passwordToken));
            using var login = await auth.PostAsync("/oauth2/login", ProtectedRouteTests.Form(("username", EmulatorUser.Username), ("password", EmulatorUser.Password)));

            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.Equal(before + 2, introspections);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, password.StatusCode);
            Assert.NotNull(password.Headers.RetryAfter);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
        }
        finally
        {
            await StartAsync("cache");
        }
    }

    [Fact]
    public async Task BurstAgainstSecuredWhileRedisStallsGetsOnly200Or503AndNothingHangs()
    {
        // Fresh tokens, so that the burst's first requests must pass through the AuthService and its stalled Redis.
        // Web-server-flow tokens: introspection needs no Redis (a password-grant token's record does, so it gets 503).
        await AuthServiceReadyAsync();
        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ => (await AppLogin.GetTokensAsync(fixture)).AccessToken!));
        using var resource = fixture.CreateClient("resourceservice");
        resource.Timeout = TimeSpan.FromSeconds(15);
        var connectionString = await fixture.App.GetConnectionStringAsync("cache");
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{connectionString},allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints().Single());

        // CLIENT PAUSE where the server has it (redis-server); Garnet has not, so there Redis is stopped instead.
        var pause = TimeSpan.FromSeconds(4);
        var pausedAt = System.Diagnostics.Stopwatch.StartNew();
        var paused = await TryPauseAsync(server, pause);
        if (!paused)
        {
            await StopAsync("cache");
        }

        HttpStatusCode[] statuses;
        try
        {
            using var gate = new SemaphoreSlim(50);
            statuses = await Task.WhenAll(Enumerable.Range(0, 2000).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    using var response = await resource.SendAsync(ProtectedRouteTests.Get("/secured", tokens[i % tokens.Length]));
                    return response.StatusCode;
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        finally
        {
            if (paused)
            {
                // Wait the pause out: an UNPAUSE would queue behind this connection's own paused commands.
                var left = pause - pausedAt.Elapsed + TimeSpan.FromMilliseconds(200);
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left);
                }
            }
            else
            {
                await StartAsync("cache");
            }
        }

        Assert.All(statuses, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"answered {status}"));
        Assert.Contains(HttpStatusCode.OK, statuses);
    }

    /// <summary>
    /// The first answer for a token once the ResourceService answers at all: a fault test before this one may have
    /// opened its breaker to the AuthService, which then answers 503 for a few seconds (bounded wait).
    /// </summary>
    private static async Task<HttpStatusCode> WarmAsync(HttpClient resource, string token)
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token), budget.Token);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                return response.StatusCode;
            }

            await Task.Delay(500, budget.Token);
        }
    }

    /// <summary>Waits (bounded) until the AuthService's readiness, which includes its Redis connection, is green.</summary>
    private async Task AuthServiceReadyAsync()
    {
        using var auth = fixture.CreateClient("authservice");
        using var budget = new CancellationTokenSource(AspireAppFixture.StartTimeout);
        while (true)
        {
            using var health = await auth.GetAsync("/health", budget.Token);
            if (health.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(200, budget.Token);
        }
    }

    private static async Task<bool> TryPauseAsync(StackExchange.Redis.IServer server, TimeSpan duration)
    {
        try
        {
            await server.ExecuteAsync("CLIENT", "PAUSE", ((int)duration.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return true;
        }
        catch (StackExchange.Redis.RedisServerException)
        {
            return false;
        }
    }

    private async Task StopAsync(string name)
    {
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(name, KnownResourceCommands.StopCommand).WaitAsync(AspireAppFixture.StartTimeout);
        Assert.True(result.Success, result.Message);
        await fixture.App.ResourceNotifications.WaitForResourceAsync(name, KnownResourceStates.TerminalStates).WaitAsync(AspireAppFixture.StartTimeout);
    }

    private async Task StartAsync(string name)
    {
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(name, KnownResourceCommands.StartCommand).WaitAsync(AspireAppFixture.StartTimeout);
        Assert.True(result.Success, result.Message);
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(name).WaitAsync(AspireAppFixture.StartTimeout);
    }
}
