using System.Net;
using System.Text.Json;

namespace ResourceService.Tests;

/// <summary>Checklist A1–A3, A7, A8: what the ResourceService refuses before it asks anyone.</summary>
public sealed class BearerRequestTests
{
    private const string Token = "00D000000000001!AQ4AQFakeAccessToken.0123456789";

    [Fact]
    public async Task PublicWelcomeAnswersWithoutATokenOrAnyCall()
    {
        await using var host = await ResourceServiceHost.StartAsync();

        using var response = await host.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        host.AssertOnlyAuthServiceCalled(0);
    }

    [Fact]
    public async Task NoTokenGets401WithBareBearerChallengeAndNoCall()
    {
        await using var host = await ResourceServiceHost.StartAsync();

        using var response = await host.GetAsync("/secured");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"ResourceService\"", Assert.Single(response.Headers.GetValues("WWW-Authenticate")));
        host.AssertOnlyAuthServiceCalled(0);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer  x y")]
    [InlineData("Bearertoken")]
    [InlineData("Bearer\ttoken")]
    [InlineData("Basic dXNlcjpwYXNzd29yZA==")]
    [InlineData("Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEF")]
    [InlineData("Bearer a, Bearer b")]
    public async Task MalformedAuthorizationGets400InvalidRequestAndNoCall(string authorization)
    {
        await using var host = await ResourceServiceHost.StartAsync();

        var context = await host.SendRawAsync("/secured", request => request.Headers.Authorization = authorization);

        await AssertInvalidRequestAsync(context);
        host.AssertOnlyAuthServiceCalled(0);
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    [InlineData("BeArEr")]
    public async Task BearerSchemeIsAcceptedInAnyCase(string scheme)
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();

        using var response = await host.GetAsync("/secured", headers: ("Authorization", $"{scheme} {Token}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        host.AssertOnlyAuthServiceCalled(1);
    }

    [Fact]
    public async Task TwoAuthorizationHeadersGet400AndNoCall()
    {
        await using var host = await ResourceServiceHost.StartAsync();

        var context = await host.SendRawAsync("/secured", request => request.Headers.Authorization = new(["Bearer " + Token, "Bearer other-token"]));

        await AssertInvalidRequestAsync(context);
        host.AssertOnlyAuthServiceCalled(0);
    }

    [Fact]
    public async Task AuthorizationAndDemoBearerHeaderTogetherGet400AndNoCall()
    {
        await using var host = await ResourceServiceHost.StartAsync();

        using var response = await host.GetAsync("/secured", Token, ("bearer", "other-token"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        host.AssertOnlyAuthServiceCalled(0);
    }

    [Theory]
    [InlineData("/secured?access_token=" + Token, false)]
    [InlineData("/secured?ACCESS_TOKEN=" + Token, false)]
    [InlineData("/secured?access_token=" + Token, true)]
    [InlineData("/secured/me?x=1&access_token=" + Token, true)]
    public async Task TokenInTheQueryGets400InvalidRequestAndNoCall(string path, bool alsoInHeader)
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();

        using var response = await host.GetAsync(path, alsoInHeader ? Token : null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("error=\"invalid_request\"", Assert.Single(response.Headers.GetValues("WWW-Authenticate")), StringComparison.Ordinal);
        host.AssertOnlyAuthServiceCalled(0);
    }

    [Theory]
    [InlineData(TokenRules.MaxLength + 1)]
    [InlineData(8 * 1024)]
    [InlineData(64 * 1024)]
    public async Task OversizedTokenGets400BeforeAnyCall(int length)
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();

        var context = await host.SendRawAsync("/secured", request => request.Headers.Authorization = "Bearer " + new string('a', length));

        await AssertInvalidRequestAsync(context);
        host.AssertOnlyAuthServiceCalled(0);
    }

    [Fact]
    public async Task TokenAtTheLengthCapIsChecked()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();

        using var response = await host.GetAsync("/secured", new string('a', TokenRules.MaxLength));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        host.AssertOnlyAuthServiceCalled(1);
    }

    [Theory]
    [InlineData("Authorization", "Bearer abc\r\nX-Injected: yes")]
    [InlineData("Authorization", "Bearer abc\ndef")]
    [InlineData("Authorization", "Bearer abc\0def")]
    [InlineData("Authorization", "Bearer t\u00f6ken")]
    [InlineData("Authorization", "Bearer abc\u0085def")]
    [InlineData("Authorization", "Bearer abc\u202edef")]
    [InlineData("bearer", "abc def")]
    [InlineData("bearer", "abc\tdef")]
    [InlineData("bearer", "")]
    public async Task NonPrintableOrNonAsciiTokenGets400BeforeAnyCall(string header, string value)
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();

        var context = await host.SendRawAsync("/secured", request => request.Headers[header] = value);

        await AssertInvalidRequestAsync(context);
        host.AssertOnlyAuthServiceCalled(0);
        Assert.DoesNotContain(context.Response.Headers, h => h.Key.Contains("Injected", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TokenReachesTheAuthServiceOnlyAsTheFormFieldAlongsideTheApiKey()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();

        using var response = await host.GetAsync("/secured", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        host.AssertOnlyAuthServiceCalled(1);
        var call = Assert.Single(host.AuthService.Requests);
        Assert.Equal("POST", call.Method);
        Assert.Equal("/oauth2/introspect", call.Path);
        Assert.Equal(ResourceServiceHost.ApiKey, call.ApiKey);
        Assert.Empty(call.Authorization);
        Assert.Equal(Token, Assert.Single(call.Form, f => f.Key == "token").Value);
        Assert.Single(call.Form);
    }

    [Fact]
    public async Task DemoBearerHeaderIsCheckedTheSameWay()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();

        using var response = await host.GetAsync("/secured", headers: ("bearer", Token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Accessing secured resource", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        host.AssertOnlyAuthServiceCalled(1);
        Assert.Equal(Token, host.AuthService.Requests.Single().Form["token"]);
    }

    private static async Task AssertInvalidRequestAsync(Microsoft.AspNetCore.Http.HttpContext context)
    {
        Assert.Equal(400, context.Response.StatusCode);
        Assert.StartsWith("Bearer realm=\"ResourceService\", error=\"invalid_request\"", context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        using var body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal("invalid_request", body.RootElement.GetProperty("error").GetString());
    }
}
