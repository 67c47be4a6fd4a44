using System.Net;
using System.Text.Json;

namespace ResourceService.Tests;

/// <summary>
/// Gateway mode (issue 17): the API behind the gateway learns the caller's identity from the gateway's own headers,
/// never from the caller's, and gets the caller's token only where a route asks for it.
/// </summary>
public sealed class GatewayIdentityTests
{
    [Fact]
    public async Task IdentityReachesTheUpstreamInTheFourHeaders()
    {
        await using var host = await GatewayHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active(scope: "api id refresh_token");

        using var response = await host.GetAsync("/api/orders/42?expand=lines");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"upstream":"ok"}""", await response.Content.ReadAsStringAsync());
        var seen = Assert.Single(host.Upstream.Requests);
        Assert.Equal("/api/orders/42?expand=lines", seen.Target);
        Assert.Equal([AuthServiceAnswers.UserId], seen.Header(GatewayHeaders.UserId));
        Assert.Equal([AuthServiceAnswers.OrganizationId], seen.Header(GatewayHeaders.OrgId));
        Assert.Equal([AuthServiceAnswers.Username], seen.Header(GatewayHeaders.Username));
        Assert.Equal(["api id refresh_token"], seen.Header(GatewayHeaders.Scopes));
        Assert.Single(host.AuthService.Requests);
    }

    [Fact]
    public async Task ATokenWithoutScopesIsForwardedWithAnEmptyScopesHeader()
    {
        await using var host = await GatewayHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active(scope: "");

        using var response = await host.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([""], Assert.Single(host.Upstream.Requests).Header(GatewayHeaders.Scopes));
    }

    [Fact]
    public async Task SpoofedIdentityHeadersAreDroppedInEveryCaseAndEveryCopy()
    {
        await using var host = await GatewayHost.StartAsync();

        var status = await host.SendRawAsync("/api/orders",
            $"Authorization: Bearer {GatewayHost.Token}",
            "x-salesforce-user-id: 005EVIL000000001",
            "X-SALESFORCE-USER-ID: 005EVIL000000002",
            "X-Salesforce-Org-Id: 00DEVIL00000001",
            "X-Salesforce-Org-Id: 00DEVIL00000002",
            "x-SaLeSfOrCe-UsErNaMe: admin@victim.example",
            "X-Salesforce-Scopes: full api",
            "X-Salesforce-Is-Admin: true");

        Assert.Equal(200, status);
        var seen = Assert.Single(host.Upstream.Requests);
        Assert.Equal([AuthServiceAnswers.UserId], seen.Header(GatewayHeaders.UserId));
        Assert.Equal([AuthServiceAnswers.OrganizationId], seen.Header(GatewayHeaders.OrgId));
        Assert.Equal([AuthServiceAnswers.Username], seen.Header(GatewayHeaders.Username));
        Assert.Equal(["api id"], seen.Header(GatewayHeaders.Scopes));
        Assert.Empty(seen.Header("X-Salesforce-Is-Admin"));
        Assert.DoesNotContain(seen.Headers.Values.SelectMany(values => values), value => value.Contains("EVIL", StringComparison.Ordinal) || value.Contains("victim", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AUsernameThatIsNotPrintableAsciiIsLeftOutAndTheCallersCopyIsStillDropped()
    {
        await using var host = await GatewayHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Json(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["active"] = true,
            ["user_id"] = AuthServiceAnswers.UserId,
            ["organization_id"] = AuthServiceAnswers.OrganizationId,
            ["username"] = "jürgen@example.com",
            ["instance_url"] = AuthServiceAnswers.InstanceUrl,
            ["scope"] = "api",
            ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        }));

        using var response = await host.GetAsync("/api/orders", headers: ("X-Salesforce-Username", "admin@victim.example"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(host.Upstream.Requests);
        Assert.Empty(seen.Header(GatewayHeaders.Username));
        Assert.Equal([AuthServiceAnswers.UserId], seen.Header(GatewayHeaders.UserId));
    }

    [Fact]
    public async Task TheCallersTokenIsNotForwardedByDefault()
    {
        await using var host = await GatewayHost.StartAsync();

        using var bearer = await host.GetAsync("/api/orders");
        using var demo = await host.GetAsync("/api/orders", token: null,
            (SalesforceTokenDefaults.DemoTokenHeader, GatewayHost.Token), (SalesforceTokenDefaults.DemoInstanceUrlHeader, AuthServiceAnswers.InstanceUrl));

        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, demo.StatusCode);
        Assert.Equal(2, host.Upstream.Requests.Count);
        Assert.All(host.Upstream.Requests, seen =>
        {
            Assert.Empty(seen.Header("Authorization"));
            Assert.Empty(seen.Header(SalesforceTokenDefaults.DemoTokenHeader));
            Assert.Empty(seen.Header(SalesforceTokenDefaults.DemoInstanceUrlHeader));
            Assert.DoesNotContain(seen.Headers.Values.SelectMany(values => values), value => value.Contains(GatewayHost.Token, StringComparison.Ordinal));
            Assert.Equal([AuthServiceAnswers.UserId], seen.Header(GatewayHeaders.UserId));
        });
    }

    [Fact]
    public async Task ARouteWithForwardAuthorizationPassesTheTokenOn()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.GetAsync("/with-token/orders");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(host.Upstream.Requests);
        Assert.Equal([$"Bearer {GatewayHost.Token}"], seen.Header("Authorization"));
        Assert.Equal([AuthServiceAnswers.UserId], seen.Header(GatewayHeaders.UserId));
    }

    [Fact]
    public async Task ForwardedHeadersAreSetAsYarpSetsThemReplacingTheCallers()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.GetAsync("/api/orders", GatewayHost.Token,
            ("X-Forwarded-For", "203.0.113.66"), ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "https"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(host.Upstream.Requests);
        Assert.Equal(["127.0.0.1"], seen.Header("X-Forwarded-For"));
        Assert.Equal(["http"], seen.Header("X-Forwarded-Proto"));
        Assert.Equal([host.Client.BaseAddress!.Authority], seen.Header("X-Forwarded-Host"));
        Assert.Equal([host.Upstream.Url.Authority], seen.Header("Host"));
    }

    [Fact]
    public async Task NoLogLineHoldsTheTokenEvenAtTrace()
    {
        await using var host = await GatewayHost.StartAsync();

        using var forwarded = await host.GetAsync("/with-token/orders?page=2");
        await host.Upstream.StopAsync();
        using var failed = await host.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.NotEmpty(host.Logs.Lines);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(GatewayHost.Token, StringComparison.Ordinal));
    }
}
