using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ResourceService.Tests;

/// <summary>
/// Gateway mode (issue 17): a proxied route answers exactly as <c>/secured</c> does (401, 400, 403, 503), through the
/// same scheme, and the API behind the gateway never sees a request without a valid token.
/// </summary>
public sealed class GatewayRefusalTests
{
    [Fact]
    public async Task NoTokenGets401WithABareChallengeAndNothingIsForwarded()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.GetAsync("/api/orders", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"ResourceService\"", Assert.Single(response.Headers.GetValues("WWW-Authenticate")));
        Assert.Equal("unauthorized", await ErrorAsync(response));
        Assert.Empty(host.AuthService.Requests);
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task ATokenTheAuthServiceRefusesGets401InvalidTokenAndNothingIsForwarded()
    {
        await using var host = await GatewayHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Inactive;

        using var response = await host.GetAsync("/api/orders");

        await IntrospectionAnswerTests.AssertInvalidTokenAsync(response);
        Assert.Single(host.AuthService.Requests);
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task AScopedRouteRefusesATokenWithoutItsScopeWith403AndForwardsOneWithIt()
    {
        await using var host = await GatewayHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active(scope: "id web");

        using var refused = await host.GetAsync("/scoped/reports");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("Bearer realm=\"ResourceService\", error=\"insufficient_scope\", scope=\"api\"", Assert.Single(refused.Headers.GetValues("WWW-Authenticate")));
        Assert.Equal("insufficient_scope", await ErrorAsync(refused));
        Assert.Empty(host.Upstream.Requests);

        await using var other = await GatewayHost.StartAsync();
        other.AuthService.Respond = AuthServiceAnswers.Active(scope: "id api");
        using var allowed = await other.GetAsync("/scoped/reports");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Single(other.Upstream.Requests);
    }

    [Fact]
    public async Task ARouteCanAskForAnySalesforceScopeByNameWithoutCode()
    {
        static void ChatterRoute(Dictionary<string, string?> settings)
        {
            settings["ReverseProxy:Routes:chatter:ClusterId"] = "upstream";
            settings["ReverseProxy:Routes:chatter:Match:Path"] = "/chatter/{**rest}";
            settings["ReverseProxy:Routes:chatter:AuthorizationPolicy"] = "scope:chatter_api";
        }

        await using var host = await GatewayHost.StartAsync(ChatterRoute);
        host.AuthService.Respond = AuthServiceAnswers.Active(scope: "api id");

        using var refused = await host.GetAsync("/chatter/feed");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("Bearer realm=\"ResourceService\", error=\"insufficient_scope\", scope=\"chatter_api\"", Assert.Single(refused.Headers.GetValues("WWW-Authenticate")));
        Assert.Equal("insufficient_scope", await ErrorAsync(refused));
        Assert.Single(host.AuthService.Requests);
        Assert.Empty(host.Upstream.Requests);

        await using var other = await GatewayHost.StartAsync(ChatterRoute);
        other.AuthService.Respond = AuthServiceAnswers.Active(scope: "id chatter_api");
        using var allowed = await other.GetAsync("/chatter/feed");
        using var noToken = await other.GetAsync("/chatter/feed", token: null);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal("/chatter/feed", Assert.Single(other.Upstream.Requests).Path);
    }

    [Fact]
    public async Task AuthServiceDownGets503WithRetryAfterAndNothingIsForwarded()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.AuthService.StopAsync();

        using var response = await host.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("temporarily_unavailable", await ErrorAsync(response));
        Assert.Empty(host.Upstream.Requests);
    }

    [Theory]
    [InlineData("/api/orders", "/secured")]
    [InlineData("/scoped/reports", "/secured/api")]
    public async Task AProxiedRouteAnswersEveryRefusalExactlyAsTheServicesOwnRoute(string proxied, string own)
    {
        await using var host = await GatewayHost.StartAsync();
        var cases = new (string? Token, string Scope, bool Active)[]
        {
            (null, "api", true),
            ("not a token", "api", true),
            (GatewayHost.Token, "api", false),
            (GatewayHost.Token, "id", true),
        };

        var forwarded = 0;
        foreach (var (token, scope, active) in cases)
        {
            host.AuthService.Respond = active ? AuthServiceAnswers.Active(scope: scope) : AuthServiceAnswers.Inactive;
            // A fresh token each time, so no answer comes from the in-process cache of an earlier case.
            var sent = token is GatewayHost.Token ? $"{token}.{scope}.{active}" : token;
            using var viaGateway = await host.GetAsync(proxied, sent);
            using var viaOwnRoute = await host.GetAsync(own, sent);

            Assert.Equal(viaOwnRoute.StatusCode, viaGateway.StatusCode);
            Assert.Equal(viaOwnRoute.Headers.WwwAuthenticate.ToString(), viaGateway.Headers.WwwAuthenticate.ToString());
            if (viaGateway.IsSuccessStatusCode)
            {
                forwarded++;
                continue;
            }

            Assert.Equal(await viaOwnRoute.Content.ReadAsStringAsync(), await viaGateway.Content.ReadAsStringAsync());
        }

        // Only the token with the route's scope (the scopeless route: also the one with "id") got through.
        Assert.Equal(proxied == "/api/orders" ? 1 : 0, forwarded);
        Assert.Equal(forwarded, host.Upstream.Requests.Count);
    }

    [Fact]
    public async Task TheUpstreamNeverSeesARequestWithoutAValidToken()
    {
        await using var host = await GatewayHost.StartAsync();
        host.AuthService.Respond = context => context.Request.Form["token"] == GatewayHost.Token
            ? AuthServiceAnswers.Active(scope: "id")(context)
            : AuthServiceAnswers.Inactive(context);
        var refused = new List<(string What, HttpStatusCode Status)>();

        // "/api/%2e%2e/secured" is /secured once normalised: GET only, so 405 for the other methods.
        foreach (var path in new[] { "/api", "/api/", "/api/orders", "/API/orders", "/api/%2e%2e/secured", "/api/orders?x=1", "/scoped/reports", "/with-token/orders" })
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Options, HttpMethod.Head, HttpMethod.Patch })
            {
                foreach (var (what, configure) in BadCredentials())
                {
                    using var request = new HttpRequestMessage(method, path);
                    if (method != HttpMethod.Get && method != HttpMethod.Head && method != HttpMethod.Options)
                    {
                        request.Content = new StringContent("""{"order":1}""", Encoding.UTF8, "application/json");
                    }

                    configure(request);
                    using var response = await host.Client.SendAsync(request);
                    refused.Add(($"{method} {path} {what}", response.StatusCode));
                }
            }
        }

        Assert.Empty(host.Upstream.Requests);
        Assert.Empty(refused.Where(r => r.Status is not (HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.MethodNotAllowed))
            .Select(r => $"{r.What}: {(int)r.Status}"));

        using var valid = await host.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Single(host.Upstream.Requests);
    }

    /// <summary>Every way of not presenting exactly one valid token.</summary>
    private static IEnumerable<(string What, Action<HttpRequestMessage> Configure)> BadCredentials()
    {
        yield return ("no token", _ => { });
        yield return ("a refused token", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "00D000000000001!refused"));
        yield return ("Basic", r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz"));
        yield return ("two tokens", r =>
        {
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayHost.Token);
            r.Headers.TryAddWithoutValidation(SalesforceTokenDefaults.DemoTokenHeader, GatewayHost.Token);
        });
        yield return ("a token in the URL", r => r.RequestUri = new Uri(r.RequestUri + (r.RequestUri!.ToString().Contains('?', StringComparison.Ordinal) ? "&" : "?") + "access_token=" + GatewayHost.Token, UriKind.Relative));
        yield return ("a spoofed identity only", r => r.Headers.TryAddWithoutValidation(GatewayHeaders.UserId, AuthServiceAnswers.UserId));
        yield return ("a wrong instanceurl", r =>
        {
            r.Headers.TryAddWithoutValidation(SalesforceTokenDefaults.DemoTokenHeader, GatewayHost.Token);
            r.Headers.TryAddWithoutValidation(SalesforceTokenDefaults.DemoInstanceUrlHeader, "https://evil.example");
        });
    }

    private static async Task<string?> ErrorAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetString();
    }
}
