using System.Net;
using System.Net.Http.Json;
using SalesforceEmulator.State;

namespace SalesforceEmulator.Tests;

public sealed class TestHookTests
{
    [Fact]
    public async Task RequestLogRecordsEveryProtocolRequestWithGrantTypeAndNoSecrets()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = await Salesforce.PasswordTokenAsync(client);
        var accessToken = token.GetProperty("access_token").GetString()!;
        (await Salesforce.IntrospectAsync(client, accessToken)).Dispose();
        (await Salesforce.IntrospectAsync(client, accessToken)).Dispose();
        (await client.GetAsync($"{token.GetProperty("id").GetString()}?oauth_token={Uri.EscapeDataString(accessToken)}")).Dispose();
        (await client.GetAsync("/no/such/route")).Dispose();
        (await client.GetAsync("/health")).Dispose();
        (await client.GetAsync("/alive")).Dispose();
        using var log = await client.GetAsync("/_emulator/requests");

        var text = await log.Content.ReadAsStringAsync();
        var entries = (await Salesforce.JsonAsync(log)).EnumerateArray().ToList();
        Assert.Equal(5, entries.Count);
        Assert.Equal(["at", "grantType", "method", "path"], Salesforce.Names(entries[0]));
        Assert.Equal("POST", entries[0].GetProperty("method").GetString());
        Assert.Equal("/services/oauth2/token", entries[0].GetProperty("path").GetString());
        Assert.Equal("password", entries[0].GetProperty("grantType").GetString());
        Assert.Equal(2, entries.Count(e => e.GetProperty("path").GetString() == "/services/oauth2/introspect"));
        Assert.All(entries.Skip(1), e => Assert.Equal(System.Text.Json.JsonValueKind.Null, e.GetProperty("grantType").ValueKind));
        Assert.Equal(EmulatorFactory.Start, entries[0].GetProperty("at").GetDateTimeOffset());
        Assert.Equal("/no/such/route", entries[4].GetProperty("path").GetString());
        Assert.DoesNotContain(accessToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain("oauth_token", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Salesforce.ClientSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Salesforce.Password, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestLogCanBeFilteredByPathAndCleared()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        await Salesforce.PasswordTokenAsync(client);
        (await client.GetAsync("/services/oauth2/userinfo")).Dispose();
        using var filtered = await client.GetAsync("/_emulator/requests?path=/services/oauth2/token");
        (await client.DeleteAsync("/_emulator/requests")).Dispose();
        using var cleared = await client.GetAsync("/_emulator/requests");

        Assert.Single((await Salesforce.JsonAsync(filtered)).EnumerateArray());
        Assert.Equal("[]", await cleared.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FaultAnswersMatchingRequestsWithTheStatusAndLeavesOthersAlone()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var set = await client.PostAsJsonAsync("/_emulator/faults", new { latencyMs = 0, statusCode = 503, path = "/services/oauth2/introspect" });
        using var token = await Salesforce.PasswordGrantAsync(client);
        using var introspect = await Salesforce.IntrospectAsync(client, "anything");
        (await client.DeleteAsync("/_emulator/faults")).Dispose();
        using var recovered = await Salesforce.IntrospectAsync(client, "anything");
        using var log = await client.GetAsync("/_emulator/requests?path=/services/oauth2/introspect");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, introspect.StatusCode);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal(2, (await Salesforce.JsonAsync(log)).GetArrayLength());
    }

    [Fact]
    public async Task FaultWithoutPathAppliesToEveryProtocolRequestButNotHooksOrHealth()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        (await client.PostAsJsonAsync("/_emulator/faults", new { latencyMs = 0, statusCode = 500, path = (string?)null })).Dispose();
        using var token = await Salesforce.PasswordGrantAsync(client);
        using var health = await client.GetAsync("/health");
        using var hooks = await client.GetAsync("/_emulator/requests");

        Assert.Equal(HttpStatusCode.InternalServerError, token.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hooks.StatusCode);
    }

    [Fact]
    public async Task FaultWithCountStopsAfterThatManyRequests()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        (await client.PostAsJsonAsync("/_emulator/faults", new { latencyMs = 0, statusCode = 503, path = "/services/oauth2/token", count = 1 })).Dispose();
        using var first = await Salesforce.PasswordGrantAsync(client);
        using var second = await Salesforce.PasswordGrantAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task FaultLatencyHoldsTheRequestUntilTheClockMoves()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        (await client.PostAsJsonAsync("/_emulator/faults", new { latencyMs = 5000, statusCode = (int?)null, path = "/services/oauth2/token" })).Dispose();
        var log = factory.Service<RequestLog>();
        var pending = Salesforce.PasswordGrantAsync(client);
        while (log.Snapshot().Count == 0)
        {
            await Task.Delay(5);
        }

        Assert.False(pending.IsCompleted);
        for (var i = 0; i < 100 && !pending.IsCompleted; i++)
        {
            factory.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CallerGivingUpDuringInjectedLatencyLeavesTheEmulatorHealthy()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        (await client.PostAsJsonAsync("/_emulator/faults", new { latencyMs = 60000, statusCode = (int?)null, path = "/services/oauth2/token", count = 1 })).Dispose();
        using var cancel = new CancellationTokenSource();
        var pending = client.PostAsync(Salesforce.TokenPath, Salesforce.Form(("grant_type", "password")), cancel.Token);
        while (factory.Service<RequestLog>().Snapshot().Count == 0)
        {
            await Task.Delay(5);
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10)));
        using var next = await Salesforce.PasswordGrantAsync(client);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Theory]
    [InlineData(-1, 503)]
    [InlineData(0, 42)]
    public async Task InvalidFaultIsRefused(int latencyMs, int statusCode)
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/_emulator/faults", new { latencyMs, statusCode });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ExpireHookExpiresOnlyThatUsersTokens()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?>
        {
            ["Emulator:Users:0:Id"] = "0055g00000OTHER",
            ["Emulator:Users:0:Username"] = "other@example.com",
            ["Emulator:Users:0:Password"] = "other-password",
            ["Emulator:Users:0:FirstName"] = "Other",
            ["Emulator:Users:0:LastName"] = "Person",
        });
        using var client = factory.CreateClient();
        var demo = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        using var otherResponse = await Salesforce.PasswordGrantAsync(client, "other@example.com", "other-password");
        var other = (await Salesforce.JsonAsync(otherResponse)).GetProperty("access_token").GetString()!;
        using var expire = await client.PostAsync("/_emulator/tokens/expire", Salesforce.Form(("username", Salesforce.Username)));
        using var demoAfter = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, "/services/oauth2/userinfo", demo));
        using var otherAfter = await client.SendAsync(Salesforce.Bearer(HttpMethod.Get, "/services/oauth2/userinfo", other));

        Assert.Equal("{\"expired\":1}", await expire.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, demoAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherAfter.StatusCode);
    }

    [Fact]
    public async Task ExpireHookWithoutUsernameExpiresEveryAccessTokenButNotRefreshTokens()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateBrowser();
        var access = (await Salesforce.WebServerTokenAsync(client)).GetProperty("access_token").GetString()!;
        var refresh = await RefreshTokenGrantTests.RefreshTokenAsync(client);
        using var expire = await client.PostAsync("/_emulator/tokens/expire", content: null);
        using var introspect = await Salesforce.IntrospectAsync(client, access);
        using var refreshed = await RefreshTokenGrantTests.RefreshAsync(client, refresh);

        Assert.Equal("{\"expired\":2}", await expire.Content.ReadAsStringAsync());
        Assert.False((await Salesforce.JsonAsync(introspect)).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task ExpireHookForUnknownUserIs404()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/_emulator/tokens/expire", Salesforce.Form(("username", "nobody@example.com")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task HooksAreOffUnlessConfigured()
    {
        using var factory = new EmulatorFactory { WithoutDefaultSettings = true };
        using var client = factory.CreateClient();
        await Salesforce.PasswordTokenAsync(client);
        using var log = await client.GetAsync("/_emulator/requests");
        using var faults = await client.PostAsJsonAsync("/_emulator/faults", new { latencyMs = 0, statusCode = 500 });

        Assert.Equal(HttpStatusCode.NotFound, log.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, faults.StatusCode);
        Assert.Empty(factory.Service<RequestLog>().Snapshot());
    }

    [Fact]
    public async Task HooksCanBeSwitchedOffExplicitly()
    {
        using var factory = new EmulatorFactory(new Dictionary<string, string?> { ["Emulator:TestHooks"] = "false" });
        using var client = factory.CreateClient();
        using var log = await client.GetAsync("/_emulator/requests");

        Assert.Equal(HttpStatusCode.NotFound, log.StatusCode);
    }
}
