using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace EndToEnd.Tests;

/// <summary>
/// What only the real stack proves about the ResourceService: the demo's <c>instanceurl</c> is compared with
/// the instance Salesforce (the emulator) really gave the token, and nothing is asked of any host it names;
/// the scope policy works with the scopes Salesforce really grants.
/// </summary>
[Collection(SharedAspireApp.Name)]
public sealed class ResourceServiceSecurityTests(AspireAppFixture fixture)
{
    private static readonly string[] AllowedEmulatorPaths = [EmulatorPaths.Introspect, EmulatorPaths.UserInfo, "/.well-known/openid-configuration"];

    [Fact]
    public async Task InstanceUrlThatIsNotTheTokensGets401AndSalesforceIsAskedOnlyAboutTheToken()
    {
        var token = await LogInAsync();
        var real = new Uri(token.InstanceUrl!);
        string[] payloads =
        [
            "https://evil.example.com",
            "http://169.254.169.254/latest/meta-data/",
            new UriBuilder(real) { Port = real.Port + 1 }.Uri.ToString(),
            new UriBuilder(real) { Host = real.Host == "localhost" ? "127.0.0.1" : "localhost" }.Uri.ToString(),
            $"{real.Scheme}://{real.Authority}@evil.example.com",
            $"{real.GetLeftPart(UriPartial.Authority)}/services/data/v62.0",
            fixture.App.GetEndpoint("authservice", "http").ToString(),
            fixture.App.GetEndpoint("resourceservice", "http").ToString(),
        ];
        using var resource = fixture.CreateClient("resourceservice");
        var before = await EmulatorRequestsAsync();

        foreach (var instanceUrl in payloads)
        {
            using var response = await resource.SendAsync(DemoRequest("/secured", token.AccessToken!, instanceUrl));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{instanceUrl} got {(int)response.StatusCode}");
            Assert.Contains("error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
        }

        var calls = (await EmulatorRequestsAsync()).Skip(before.Count).ToList();
        // The first request validated the password-grant token (one UserInfo call); the rest hit the AuthService's cache.
        Assert.Equal(0, calls.Count(c => c.Path == EmulatorPaths.Introspect));
        Assert.Equal(1, calls.Count(c => c.Path == EmulatorPaths.UserInfo));
        Assert.All(calls, call => Assert.Contains(call.Path, AllowedEmulatorPaths));
    }

    [Fact]
    public async Task InstanceUrlOfTheTokensOwnInstanceIsAccepted()
    {
        var token = await LogInAsync();
        using var resource = fixture.CreateClient("resourceservice");

        using var response = await resource.SendAsync(DemoRequest("/secured/me", token.AccessToken!, token.InstanceUrl!));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<Me>();
        Assert.Equal(new Uri(token.InstanceUrl!), new Uri(me!.InstanceUrl!));
    }

    [Fact]
    public async Task ApiScopedRouteOpensForAWebServerFlowTokenWhichCarriesTheApiScope()
    {
        var token = await AppLogin.GetTokensAsync(fixture);
        Assert.Contains("api", token.Scope!.Split(' '));
        using var resource = fixture.CreateClient("resourceservice");

        using var response = await resource.SendAsync(ProtectedRouteTests.Get("/secured/api", token.AccessToken!));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Accessing secured resource with scope api", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiScopedRouteRefusesAPasswordGrantTokenWhichSalesforceGrantsNoScope()
    {
        var token = await LogInAsync();
        Assert.Null(token.Scope);
        using var resource = fixture.CreateClient("resourceservice");

        using var response = await resource.SendAsync(ProtectedRouteTests.Get("/secured/api", token.AccessToken!));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiScopedRouteWithARevokedTokenGets401Not403()
    {
        var token = await LogInAsync();
        using var auth = fixture.CreateClient("authservice");
        using var resource = fixture.CreateClient("resourceservice");
        using (var revoke = await auth.PostAsync("/oauth2/revoke", ProtectedRouteTests.Form(("token", token.AccessToken!))))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        using var response = await resource.SendAsync(ProtectedRouteTests.Get("/secured/api", token.AccessToken!));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    private async Task<TokenAnswer> LogInAsync()
    {
        using var auth = fixture.CreateClient("authservice");
        using var response = await auth.PostAsync("/oauth2/login", ProtectedRouteTests.Form(("username", EmulatorUser.Username), ("password", EmulatorUser.Password)));
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenAnswer>();
        fixture.RememberSecrets(token?.AccessToken);
        Assert.NotNull(token?.AccessToken);
        Assert.NotNull(token.InstanceUrl);
        return token;
    }

    private async Task<List<EmulatorCall>> EmulatorRequestsAsync()
    {
        using var emulator = fixture.CreateClient("salesforce");
        return (await emulator.GetFromJsonAsync<List<EmulatorCall>>("/_emulator/requests"))!;
    }

    private static HttpRequestMessage DemoRequest(string path, string token, string instanceUrl)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("bearer", token);
        request.Headers.TryAddWithoutValidation("instanceurl", instanceUrl);
        return request;
    }

    private sealed record EmulatorCall(
        [property: JsonPropertyName("method")] string Method,
        [property: JsonPropertyName("path")] string Path);

    private sealed record Me([property: JsonPropertyName("instance_url")] string? InstanceUrl);
}
