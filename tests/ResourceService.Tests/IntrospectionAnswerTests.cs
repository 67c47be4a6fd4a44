using System.Net;
using System.Text.Json;

namespace ResourceService.Tests;

/// <summary>Checklist A4–A6: the ResourceService believes only what the AuthService confirms.</summary>
public sealed class IntrospectionAnswerTests
{
    private const string Token = "00D000000000001!AQ4AQFakeAccessToken.abcdef";

    [Fact]
    public async Task ActiveAnswerOpensSecuredMeWithTheConfirmedIdentity()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();

        using var response = await host.GetAsync("/secured/me", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(AuthServiceAnswers.UserId, body.RootElement.GetProperty("user_id").GetString());
        Assert.Equal(AuthServiceAnswers.OrganizationId, body.RootElement.GetProperty("organization_id").GetString());
        Assert.Equal(AuthServiceAnswers.Username, body.RootElement.GetProperty("username").GetString());
        Assert.Equal(AuthServiceAnswers.InstanceUrl, body.RootElement.GetProperty("instance_url").GetString());
        host.AssertOnlyAuthServiceCalled(1);
    }

    [Fact]
    public async Task InactiveAnswerGets401InvalidToken()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Inactive;

        using var response = await host.GetAsync("/secured", Token);

        await AssertInvalidTokenAsync(response);
        host.AssertOnlyAuthServiceCalled(1);
    }

    [Fact]
    public async Task RefreshTokenConfirmedAsActiveIsStillRefused()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active(tokenType: "refresh_token");

        using var response = await host.GetAsync("/secured", Token);

        await AssertInvalidTokenAsync(response);
        host.AssertOnlyAuthServiceCalled(1);
    }

    [Fact]
    public async Task ActiveAnswerWithAnExpiryInThePastIsRefused()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active(expiresAt: DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds());

        using var response = await host.GetAsync("/secured", Token);

        await AssertInvalidTokenAsync(response);
        host.AssertOnlyAuthServiceCalled(1);
    }

    [Fact]
    public async Task EveryRequestIsCheckedAgainAndNoneLeaksToAnotherCaller()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();
        using var first = await host.GetAsync("/secured", Token);
        host.AuthService.Respond = AuthServiceAnswers.Inactive;

        using var second = await host.GetAsync("/secured", Token);
        using var withoutToken = await host.GetAsync("/secured");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        host.AssertOnlyAuthServiceCalled(2);
    }

    internal static async Task AssertInvalidTokenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer realm=\"ResourceService\", error=\"invalid_token\"", Assert.Single(response.Headers.GetValues("WWW-Authenticate")), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_token", body.RootElement.GetProperty("error").GetString());
    }
}
