using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace EndToEnd.Tests;

/// <summary>
/// The emulator's app issues JWT-based access tokens (<c>Emulator:JwtAccessTokens=true</c>), with two ResourceService
/// instances. They allow a 1 s clock skew instead of 30 s, so that tokens minted a few seconds after the start count as
/// issued after they began hearing revocations (older ones are asked of the AuthService, by design).
/// </summary>
public sealed class JwtAppFixture() : AspireAppFixture(["--Emulator:JwtAccessTokens=true", "--ResourceService:Replicas=2"]), IAsyncLifetime
{
    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // A token's iat is in whole seconds: past the instances' start plus the skew, every new token is theirs to check.
        await Task.Delay(TimeSpan.FromSeconds(3));
    }

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var resource in builder.Resources.OfType<ProjectResource>().Where(r => r.Name == "resourceservice"))
        {
            builder.CreateResourceBuilder(resource).WithEnvironment("Salesforce__JwtClockSkew", "00:00:01");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedJwtApp : ICollectionFixture<JwtAppFixture>
{
    public const string Name = "Aspire app with JWT-based access tokens";
}

/// <summary>Issue 16 through the real AppHost: no hop for a new JWT, revocation on every instance, the AuthService's own check.</summary>
[Collection(SharedJwtApp.Name)]
public sealed class JwtAccessTokenTests(JwtAppFixture fixture)
{
    private static readonly string[] SalesforceValidationPaths = [EmulatorPaths.Introspect, EmulatorPaths.UserInfo, "/id/keys"];

    [Fact]
    public async Task NewJwtIsAcceptedByEveryInstanceWithoutAskingTheAuthServiceOrSalesforce()
    {
        using var resource = fixture.CreateClient("resourceservice");
        // The first JWT an instance sees fetches the AuthService's settings and the My Domain's keys, once.
        var warmUp = await MintAsync();
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(resource, warmUp));
        }

        var token = (await AppLogin.GetTokensAsync(fixture)).AccessToken!;
        var before = await CountSalesforceValidationCallsAsync();

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(resource, token));
        }

        using var me = await resource.SendAsync(ProtectedRouteTests.Get("/secured/me", token));
        var caller = await me.Content.ReadFromJsonAsync<JsonElement>();

        Assert.StartsWith("eyJ", token, StringComparison.Ordinal);
        Assert.Equal(before, await CountSalesforceValidationCallsAsync());
        // The AuthService caches every validation it makes under the token's hash: none was made.
        Assert.False(await AuthServiceCachedAsync(token));
        Assert.Equal("0055g00000DEMOUAA5", caller.GetProperty("user_id").GetString());
        Assert.Equal("00D5g000004ABCDEA4", caller.GetProperty("organization_id").GetString());
        Assert.Equal(fixture.App.GetEndpoint("salesforce", "http").GetLeftPart(UriPartial.Authority), caller.GetProperty("instance_url").GetString());
    }

    [Fact]
    public async Task TheAuthServiceValidatesJwtAccessTokensItself()
    {
        var token = (await AppLogin.GetTokensAsync(fixture)).AccessToken!;
        using var auth = fixture.CreateClient("authservice");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/introspect") { Content = ProtectedRouteTests.Form(("token", token)) };
        request.Headers.Add("X-Internal-Api-Key", await fixture.GetInternalApiKeyAsync());

        using var response = await auth.SendAsync(request);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(answer.GetProperty("active").GetBoolean());
        Assert.Equal("0055g00000DEMOUAA5", answer.GetProperty("user_id").GetString());
        Assert.Equal(EmulatorUser.Username, answer.GetProperty("username").GetString());
        Assert.True(await AuthServiceCachedAsync(token));
    }

    [Fact]
    public async Task RevokedJwtIsRefusedByEveryInstanceAndStaysRefused()
    {
        var token = (await AppLogin.GetTokensAsync(fixture)).AccessToken!;
        using var resource = fixture.CreateClient("resourceservice");
        using var auth = fixture.CreateClient("authservice");
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(resource, token));
        }

        using var revoke = await auth.PostAsync("/oauth2/revoke", ProtectedRouteTests.Form(("token", token)));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (await StatusAsync(resource, token, budget.Token) != HttpStatusCode.Unauthorized)
            {
                await Task.Delay(20, budget.Token);
            }
        }

        // The signature still checks out: only the remembered revocation refuses the replays, on both instances.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(resource, token));
        }
    }

    [Fact]
    public async Task AfterAKeyRotationNewTokensAreAcceptedAndSoonCheckedInProcessAgain()
    {
        using var resource = fixture.CreateClient("resourceservice");
        using var emulator = fixture.CreateClient("salesforce");
        var warmUp = await MintAsync();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(resource, warmUp));
        }

        using var rotate = await emulator.PostAsJsonAsync("/_emulator/jwt-keys/rotate", new { });
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);

        // Each instance meets the new kid once: it fetches the keys again and the AuthService vouches meanwhile.
        // A web-server-flow token: the AuthService can vouch for it (a password-flow one it did not obtain, it cannot).
        var rotated = (await AppLogin.GetTokensAsync(fixture)).AccessToken!;
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(resource, rotated));
        }

        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var token = (await AppLogin.GetTokensAsync(fixture)).AccessToken!;
            var before = await CountSalesforceValidationCallsAsync();
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 4; i++)
            {
                statuses.Add(await StatusAsync(resource, token, budget.Token));
            }

            Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
            if (before == await CountSalesforceValidationCallsAsync() && !await AuthServiceCachedAsync(token))
            {
                break;
            }

            await Task.Delay(500, budget.Token);
        }
    }

    /// <summary>A token straight from the emulator (the password grant, as a test client of the app): no AuthService involved.</summary>
    private async Task<string> MintAsync()
    {
        using var emulator = fixture.CreateClient("salesforce");
        using var response = await emulator.PostAsync(EmulatorPaths.Token, ProtectedRouteTests.Form(
            ("grant_type", "password"), ("client_id", "local-client-id"), ("client_secret", "local-client-secret"),
            ("username", EmulatorUser.Username), ("password", EmulatorUser.Password)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<TokenAnswer>())!.AccessToken!;
        fixture.RememberSecrets(token);
        return token;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient resource, string token, CancellationToken cancellationToken = default)
    {
        using var response = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token), cancellationToken);
        return response.StatusCode;
    }

    private async Task<int> CountSalesforceValidationCallsAsync()
    {
        var total = 0;
        foreach (var path in SalesforceValidationPaths)
        {
            total += await fixture.CountEmulatorRequestsAsync(path);
        }

        return total;
    }

    private async Task<bool> AuthServiceCachedAsync(string token)
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("cache"))!);
        var key = "v1:tok:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        return await redis.GetDatabase().KeyExistsAsync(key);
    }
}
