using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EndToEnd.Tests;

/// <summary>Two AuthService and two ResourceService replicas behind the orchestrator's load-balancing proxies.</summary>
public sealed class ScaledOutAppFixture() : AspireAppFixture(["--AuthService:Replicas=2", "--ResourceService:Replicas=2"]);

[CollectionDefinition(Name)]
public sealed class SharedScaledOutApp : ICollectionFixture<ScaledOutAppFixture>
{
    public const string Name = "Aspire app with replicas";
}

/// <summary>
/// Issue 7's scale-out: nothing is kept in one instance's memory. Requests alternate between replicas,
/// so a flow's steps land on different instances and still fit together.
/// </summary>
[Collection(SharedScaledOutApp.Name)]
public sealed class ScaleOutTests(ScaledOutAppFixture fixture)
{
    [Fact]
    public async Task WebServerFlowsCompleteWhicheverReplicaServesEachStep()
    {
        for (var i = 0; i < 4; i++)
        {
            var tokens = await AppLogin.GetTokensAsync(fixture);
            using var resource = fixture.CreateClient("resourceservice");
            using var secured = await resource.SendAsync(ProtectedRouteTests.Get("/secured", tokens.AccessToken!));
            Assert.Equal(HttpStatusCode.OK, secured.StatusCode);
        }
    }

    [Fact]
    public async Task ConcurrentRefreshesAcrossReplicasMakeOneSalesforceCall()
    {
        var tokens = await AppLogin.GetTokensAsync(fixture);
        using var auth = fixture.CreateClient("authservice");
        var before = await CountRefreshGrantsAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await auth.PostAsync("/oauth2/refresh", ProtectedRouteTests.Form(("refresh_token", tokens.RefreshToken!)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<TokenAnswer>())!;
        }));

        fixture.RememberSecrets(answers[0].AccessToken, answers[0].RefreshToken);
        Assert.Single(answers.Select(a => a.RefreshToken).Distinct());
        Assert.Equal(before + 1, await CountRefreshGrantsAsync());
    }

    [Fact]
    public async Task RevokeOnOneReplicaIsSeenByEveryInstance()
    {
        var token = await fixture.GetPasswordGrantTokenAsync();
        using var resource = fixture.CreateClient("resourceservice");
        using var auth = fixture.CreateClient("authservice");
        for (var i = 0; i < 6; i++)
        {
            using var warm = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token));
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using var revoke = await auth.PostAsync("/oauth2/revoke", ProtectedRouteTests.Form(("token", token)));
        using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (true)
            {
                using var probe = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token), budget.Token);
                if (probe.StatusCode == HttpStatusCode.Unauthorized)
                {
                    break;
                }

                await Task.Delay(20, budget.Token);
            }
        }

        for (var i = 0; i < 10; i++)
        {
            using var after = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token));
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        }
    }

    private async Task<int> CountRefreshGrantsAsync()
    {
        using var emulator = fixture.CreateClient("salesforce");
        var requests = await emulator.GetFromJsonAsync<JsonElement>("/_emulator/requests");
        return requests.EnumerateArray().Count(r => r.GetProperty("grantType").GetString() == "refresh_token");
    }
}
