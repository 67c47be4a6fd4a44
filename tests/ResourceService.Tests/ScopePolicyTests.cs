using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ResourceService.Tests;

/// <summary>Scope policies: <c>RequireScope("api")</c> in the framework's shape, 403 <c>insufficient_scope</c> without it (RFC 6750 §3.1).</summary>
public sealed class ScopePolicyTests
{
    private const string Token = "00D000000000001!AQ4AQFakeAccessToken.scope";

    [Fact]
    public async Task TokenWithTheApiScopeOpensTheApiScopedRoute()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active(scope: "id api refresh_token");

        using var response = await host.GetAsync("/secured/api", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Accessing secured resource with scope api", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        host.AssertOnlyAuthServiceCalled(1);
    }

    [Theory]
    [InlineData("id web")]
    [InlineData("")]
    [InlineData("apis")]
    [InlineData("API")]
    [InlineData("api:read")]
    [InlineData("full")]
    public async Task TokenWithoutTheApiScopeGets403InsufficientScopeNamingIt(string scope)
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active(scope: scope);

        using var response = await host.GetAsync("/secured/api", Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer realm=\"ResourceService\", error=\"insufficient_scope\", scope=\"api\"", Assert.Single(response.Headers.GetValues("WWW-Authenticate")));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("insufficient_scope", body.RootElement.GetProperty("error").GetString());
        host.AssertOnlyAuthServiceCalled(1);
    }

    [Fact]
    public async Task RoutesWithoutAScopePolicyNeedNoScope()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active(scope: "");

        using var response = await host.GetAsync("/secured", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NoTokenOnAScopedRouteGets401Not403()
    {
        await using var host = await ResourceServiceHost.StartAsync();

        using var response = await host.GetAsync("/secured/api");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"ResourceService\"", Assert.Single(response.Headers.GetValues("WWW-Authenticate")));
        host.AssertOnlyAuthServiceCalled(0);
    }

    [Fact]
    public async Task InvalidTokenOnAScopedRouteGets401Not403()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Inactive;

        using var response = await host.GetAsync("/secured/api", Token);

        await IntrospectionAnswerTests.AssertInvalidTokenAsync(response);
    }

    [Theory]
    [InlineData("full", true)]
    [InlineData("api", true)]
    [InlineData("web id", false)]
    public async Task RequireScopeIsMetByAnyOfTheListedScopes(string granted, bool expected)
    {
        var policy = new AuthorizationPolicyBuilder().RequireScope("api", "full").Build();
        var user = new ClaimsPrincipal(new ClaimsIdentity(
            granted.Split(' ').Select(scope => new Claim(SalesforceClaimTypes.Scope, scope)),
            SalesforceTokenDefaults.AuthenticationScheme));
        await using var services = new ServiceCollection().AddLogging().AddAuthorization().BuildServiceProvider();

        var result = await services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, policy);

        Assert.Equal(expected, result.Succeeded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("api web")]
    [InlineData("api\"")]
    [InlineData("api\\")]
    [InlineData("\u00e4pi")]
    public void RequireScopeRefusesAScopeThatIsNotAScopeToken(string scope) =>
        Assert.Throws<ArgumentException>(() => new AuthorizationPolicyBuilder().RequireScope(scope));
}
