using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;

namespace Browser.Tests;

/// <summary>
/// The dashboard's buttons on the <c>salesforce</c> resource, run as the dashboard runs them (through
/// <see cref="ResourceCommandService"/>), each judged by what the emulator then does.
/// </summary>
[Collection(BrowserApp.Name)]
public sealed class DashboardCommandTests(BrowserAppFixture fixture)
{
    private const string Salesforce = "salesforce";

    [Fact]
    public async Task ExpireDemoTokensCommandEndsTheDemoUsersSessions()
    {
        var token = await GetPasswordGrantTokenAsync();
        Assert.True(await IsActiveAtSalesforceAsync(token));

        await ExecuteAsync("expire-demo-tokens");

        Assert.False(await IsActiveAtSalesforceAsync(token));
    }

    [Fact]
    public async Task FailCommandMakesSalesforceAnswer503UntilRestore()
    {
        try
        {
            await ExecuteAsync("make-salesforce-fail");

            using var failing = await IntrospectAtSalesforceAsync("any-token");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        }
        finally
        {
            await ExecuteAsync("restore-salesforce");
        }

        using var restored = await IntrospectAtSalesforceAsync("any-token");
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
    }

    [Fact]
    public async Task RotateJwtSigningKeyCommandPublishesANewKeyAndKeepsTheOldOnes()
    {
        var before = await PublishedKeyIdsAsync();

        await ExecuteAsync("rotate-jwt-signing-key");

        var after = await PublishedKeyIdsAsync();
        Assert.Superset(before, after);
        Assert.NotEmpty(after.Except(before));
    }

    [Fact]
    public async Task SlowCommandDelaysEverySalesforceCallByFiveSecondsUntilRestore()
    {
        using var emulator = fixture.CreateClient(Salesforce);
        try
        {
            await ExecuteAsync("make-salesforce-slow");

            // The emulator's own account of the fault: timing a real call would make the test depend on the clock.
            var fault = await emulator.GetFromJsonAsync<JsonElement>("/_emulator/faults");
            Assert.Equal(5000, fault.GetProperty("latencyMs").GetInt32());
            Assert.Equal(JsonValueKind.Null, fault.GetProperty("statusCode").ValueKind);
            Assert.Equal(JsonValueKind.Null, fault.GetProperty("path").ValueKind);
        }
        finally
        {
            await ExecuteAsync("restore-salesforce");
        }

        using var none = await emulator.GetAsync("/_emulator/faults");
        Assert.Equal(HttpStatusCode.NoContent, none.StatusCode);
    }

    private async Task ExecuteAsync(string command)
    {
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        var resource = fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == Salesforce);
        var result = await commands.ExecuteCommandAsync(resource, command, CancellationToken.None).WaitAsync(BrowserAppFixture.RequestTimeout);
        Assert.True(result.Success, $"{command} failed: {result.Message}");
    }

    private async Task<string> GetPasswordGrantTokenAsync()
    {
        using var auth = fixture.CreateClient("authservice");
        using var response = await auth.PostAsync("/oauth2/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = EmulatorUser.Username,
            ["password"] = EmulatorUser.Password,
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>Asks the emulator itself, as the connected app: the AuthService's cache would hide the change for minutes.</summary>
    private async Task<HttpResponseMessage> IntrospectAtSalesforceAsync(string token)
    {
        using var emulator = fixture.CreateClient(Salesforce);
        return await emulator.PostAsync("/services/oauth2/introspect", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token,
            ["client_id"] = "local-client-id",
            ["client_secret"] = "local-client-secret",
        }));
    }

    /// <summary>
    /// Asks the emulator's UserInfo: a password-grant token is a Session ID that introspection calls inactive even when
    /// it is live, as Salesforce's does; UserInfo answers 200 while it lives and 403 Bad_OAuth_Token after.
    /// </summary>
    private async Task<bool> IsActiveAtSalesforceAsync(string token)
    {
        using var emulator = fixture.CreateClient(Salesforce);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/services/oauth2/userinfo");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await emulator.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Forbidden, $"userinfo answered {(int)response.StatusCode}");
        return response.StatusCode == HttpStatusCode.OK;
    }

    private async Task<HashSet<string>> PublishedKeyIdsAsync()
    {
        using var emulator = fixture.CreateClient(Salesforce);
        var keys = await emulator.GetFromJsonAsync<JsonElement>("/id/keys");
        return [.. keys.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!)];
    }
}
