using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Deploy.Tests;

/// <summary>
/// Heroku spreads requests over dynos without affinity and restarts every dyno at least daily: the state
/// cookie must open on any dyno, before and after a restart, because the Data Protection keys live in Redis.
/// </summary>
[Collection(PublishedServices.Name)]
public sealed class SharedKeyRingTests(PublishedServicesFixture fixture)
{
    [Fact]
    public async Task StateCookieFromOneDynoIsAcceptedByAnotherAndTheCodeExchangesOnTheFirst()
    {
        await using var secondDyno = fixture.StartAuthService();
        await secondDyno.WaitUntilOkAsync("/health", PublishedServicesFixture.StartTimeout);
        using var firstAuth = fixture.AuthService.CreateClient();
        using var secondAuth = secondDyno.CreateClient();
        using var emulator = fixture.Emulator.CreateClient();

        var (callback, cookie) = await BrowserLogin.LogInThroughEmulatorAsync(firstAuth, emulator);
        using var callbackRequest = new HttpRequestMessage(HttpMethod.Get, callback.To(secondDyno.BaseAddress));
        callbackRequest.Headers.Add("Cookie", cookie);
        using var callbackResponse = await secondAuth.SendAsync(callbackRequest);
        Assert.True(callbackResponse.StatusCode == HttpStatusCode.OK,
            $"The second dyno refused the first one's state cookie: {await callbackResponse.Content.ReadAsStringAsync()}");
        var code = (await callbackResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

        // The PKCE verifier bound to the code on the second dyno is in Redis too.
        using var exchange = await firstAuth.PostAsync(new Uri($"/oauth2/token?code={Uri.EscapeDataString(code)}", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        Assert.False(string.IsNullOrEmpty((await exchange.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()));
    }

    [Fact]
    public async Task KeysTheDynosWroteToRedisAreEncryptedWithTheCertificate()
    {
        using (var auth = fixture.AuthService.CreateClient())
        using (var authorize = await auth.GetAsync(new Uri("/oauth2/authorize", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Found, authorize.StatusCode);
        }

        // The TLS Redis, as an operator with redis-cli would read it.
        var result = await Command.RunAsync("redis-cli",
            ["--tls", "--insecure", "-h", "127.0.0.1", "-p", fixture.Redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--no-auth-warning", "-a", fixture.Redis.Password, "LRANGE", "v1:dataprotection:keys", "0", "-1"],
            Repository.Root, null, TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0 && result.Output.Contains("<key ", StringComparison.Ordinal), result.Output);
        Assert.Contains("<encryptedSecret", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StateCookieIssuedBeforeARestartIsAcceptedAfterIt()
    {
        using var emulator = fixture.Emulator.CreateClient();
        Uri callback;
        string cookie;
        await using (var dyno = fixture.StartAuthService())
        {
            await dyno.WaitUntilOkAsync("/health", PublishedServicesFixture.StartTimeout);
            using var auth = dyno.CreateClient();
            (callback, cookie) = await BrowserLogin.LogInThroughEmulatorAsync(auth, emulator);
            await dyno.StopAsync(PublishedServicesFixture.HerokuShutdownLimit);
            Assert.True(dyno.HasExited, "The dyno did not stop.");
        }

        await using var restarted = fixture.StartAuthService();
        await restarted.WaitUntilOkAsync("/health", PublishedServicesFixture.StartTimeout);
        using var restartedAuth = restarted.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, callback.To(restarted.BaseAddress));
        request.Headers.Add("Cookie", cookie);
        using var response = await restartedAuth.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.OK,
            $"The restarted dyno refused the state cookie: {await response.Content.ReadAsStringAsync()}");
        Assert.False(string.IsNullOrEmpty((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()));
    }
}
