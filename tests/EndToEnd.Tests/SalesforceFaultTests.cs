using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EndToEnd.Tests;

/// <summary>
/// Checklist E36, E37: Salesforce slow, failing or rate limiting, made so by the emulator's fault hook.
/// Asked at the AuthService directly, so the ResourceService's own breaker stays out of the picture.
/// </summary>
[Collection(SharedAspireApp.Name)]
public sealed class SalesforceFaultTests(AspireAppFixture fixture)
{
    /// <summary>A web-server-flow token is checked by introspection, a password-grant token through UserInfo: both fail closed.</summary>
    public static TheoryData<string> TokenKinds => new() { "web-server", "password" };

    [Theory]
    [MemberData(nameof(TokenKinds))]
    public async Task SlowSalesforceGets503InsteadOfAnAnswerThatComesTooLate(string kind)
    {
        var (token, path) = await TokenAsync(kind);
        await using var fault = await EmulatorFault.StartAsync(fixture, new { latencyMs = 5000, path, count = 1 });

        using var response = await IntrospectAsync(token);

        // The emulator would have said "active" after 5 s; the AuthService's budget is shorter.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("temporarily_unavailable", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(429, "web-server")]
    [InlineData(503, "web-server")]
    [InlineData(500, "web-server")]
    [InlineData(429, "password")]
    [InlineData(503, "password")]
    [InlineData(500, "password")]
    public async Task SalesforceErrorStatusGets503WithoutARetryStorm(int status, string kind)
    {
        var (token, path) = await TokenAsync(kind);
        var before = await fixture.CountEmulatorRequestsAsync(path);
        await using var fault = await EmulatorFault.StartAsync(fixture, new { latencyMs = 0, statusCode = status, path, count = 1 });

        using var response = await IntrospectAsync(token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(before + 1, await fixture.CountEmulatorRequestsAsync(path));
    }

    [Theory]
    [MemberData(nameof(TokenKinds))]
    public async Task AfterTheFaultEndsTheSameTokenValidatesAgain(string kind)
    {
        var (token, path) = await TokenAsync(kind);
        await using (await EmulatorFault.StartAsync(fixture, new { latencyMs = 0, statusCode = 503, path, count = 1 }))
        {
            using var failed = await IntrospectAsync(token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        using var recovered = await IntrospectAsync(token);

        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.True((await recovered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task TokenEndpointFaultGets503AndTheCodeIsNotRetried()
    {
        using var auth = fixture.CreateClient("authservice");
        var before = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token);
        await using var fault = await EmulatorFault.StartAsync(fixture, new { latencyMs = 0, statusCode = 503, path = EmulatorPaths.Token, count = 1 });

        using var response = await auth.PostAsync("/oauth2/login", ProtectedRouteTests.Form(("username", EmulatorUser.Username), ("password", EmulatorUser.Password)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(before + 1, await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Token));
    }

    /// <summary>A token of the kind, never validated yet, and the Salesforce endpoint the AuthService checks it at.</summary>
    private async Task<(string Token, string Path)> TokenAsync(string kind) => kind == "password"
        ? (await fixture.GetPasswordGrantTokenAsync(), EmulatorPaths.UserInfo)
        : ((await AppLogin.GetTokensAsync(fixture)).AccessToken!, EmulatorPaths.Introspect);

    private async Task<HttpResponseMessage> IntrospectAsync(string token)
    {
        using var auth = fixture.CreateClient("authservice");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/introspect")
        {
            Content = ProtectedRouteTests.Form(("token", token)),
        };
        request.Headers.Add("X-Internal-Api-Key", await fixture.GetInternalApiKeyAsync());
        return await auth.SendAsync(request);
    }
}

/// <summary>A fault injected into the emulator for the length of a <c>using</c>.</summary>
public sealed class EmulatorFault : IAsyncDisposable
{
    private readonly HttpClient _emulator;

    private EmulatorFault(HttpClient emulator) => _emulator = emulator;

    public static async Task<EmulatorFault> StartAsync(AspireAppFixture fixture, object fault)
    {
        var emulator = fixture.CreateClient("salesforce");
        using var response = await emulator.PostAsJsonAsync("/_emulator/faults", fault);
        response.EnsureSuccessStatusCode();
        return new EmulatorFault(emulator);
    }

    public async ValueTask DisposeAsync()
    {
        using (await _emulator.DeleteAsync("/_emulator/faults"))
        {
        }

        _emulator.Dispose();
    }
}
