using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResourceService.Gateway;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;

namespace ResourceService.Tests;

/// <summary>
/// Gateway mode (issue 17) is switched on by YARP's <c>ReverseProxy</c> section alone; no configuration can open a
/// route to callers without a valid token, and a wrong one stops the service at start with one line naming it.
/// </summary>
public sealed class GatewayConfigurationTests
{
    [Fact]
    public async Task WithoutTheSectionTheServiceHasNoProxyAndItsRoutesAreAsBefore()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();

        using var proxied = await host.GetAsync("/api/orders", GatewayHost.Token);
        using var secured = await host.GetAsync("/secured", GatewayHost.Token);

        Assert.Equal(HttpStatusCode.NotFound, proxied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secured.StatusCode);
        Assert.Null(host.Services.GetService<IProxyStateLookup>());
        Assert.Null(host.Services.GetService<IProxyConfigProvider>());
        Assert.Empty(host.Canary.Requests);
    }

    [Fact]
    public async Task TheServicesOwnRoutesKeepWorkingBesideTheGateway()
    {
        await using var host = await GatewayHost.StartAsync();

        using var welcome = await host.GetAsync("/", token: null);
        using var secured = await host.GetAsync("/secured");
        using var me = await host.GetAsync("/secured/me");
        using var api = await host.GetAsync("/secured/api");
        using var health = await host.GetAsync("/health", token: null);

        Assert.Equal(HttpStatusCode.OK, welcome.StatusCode);
        Assert.Contains("Accessing secured resource", await secured.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(AuthServiceAnswers.UserId, await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Empty(host.Upstream.Requests);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("Anonymous")]
    [InlineData("ANONYMOUS")]
    public async Task AnAnonymousRouteStopsTheServiceAtStartWithOneLineNamingIt(string policy)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            GatewayHost.StartAsync(settings => settings["ReverseProxy:Routes:api:AuthorizationPolicy"] = policy));

        Assert.StartsWith("ReverseProxy__Routes__api__AuthorizationPolicy", error.Message, StringComparison.Ordinal);
        Assert.Contains("'api'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task APolicyTheServiceDoesNotHaveStopsItAtStartNamingTheRoute()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            GatewayHost.StartAsync(settings => settings["ReverseProxy:Routes:scoped:AuthorizationPolicy"] = "admins"));

        Assert.StartsWith("ReverseProxy__Routes__scoped__AuthorizationPolicy", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task AForwardAuthorizationThatIsNotABooleanStopsTheServiceAtStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            GatewayHost.StartAsync(settings => settings["ReverseProxy:Routes:with-token:Metadata:ForwardAuthorization"] = "yes"));

        Assert.StartsWith("ReverseProxy__Routes__with-token__Metadata__ForwardAuthorization", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("scope:")]
    [InlineData("scope:chatter api")]
    [InlineData("scope:api,id")]
    [InlineData("scopes:api")]
    public async Task AScopePolicyNameSalesforceCouldNotIssueStopsItAtStart(string policy)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            GatewayHost.StartAsync(settings => settings["ReverseProxy:Routes:scoped:AuthorizationPolicy"] = policy));

        Assert.StartsWith("ReverseProxy__Routes__scoped__AuthorizationPolicy", error.Message, StringComparison.Ordinal);
        Assert.Contains("'scope:<scope>'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("Default")]
    [InlineData("api")]
    [InlineData("scope:api")]
    [InlineData("Scope:id")]
    public async Task DefaultAndTheScopePolicyAreAccepted(string policy)
    {
        await using var host = await GatewayHost.StartAsync(settings => settings["ReverseProxy:Routes:api:AuthorizationPolicy"] = policy);

        using var noToken = await host.GetAsync("/api/orders", token: null);
        using var valid = await host.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task EveryRouteLoadedFromAnySourceNeedsAToken()
    {
        var filter = new AuthenticatedRoutesFilter();
        var open = new RouteConfig { RouteId = "open", ClusterId = "c", Match = new RouteMatch { Path = "/{**rest}" } };

        var withoutPolicy = await filter.ConfigureRouteAsync(open, cluster: null, CancellationToken.None);
        var scoped = await filter.ConfigureRouteAsync(open with { AuthorizationPolicy = "api" }, cluster: null, CancellationToken.None);

        Assert.Equal("Default", withoutPolicy.AuthorizationPolicy);
        Assert.Equal("api", scoped.AuthorizationPolicy);
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await filter.ConfigureRouteAsync(open with { AuthorizationPolicy = "anonymous" }, cluster: null, CancellationToken.None));
    }
}
