using System.Net.Http.Json;
using System.Net;

namespace AuthService.Tests;

/// <summary>
/// Issue 14, item 6: nothing the AuthService shows is built from the request's Host, and deployed it answers only
/// requests addressed to the redirect URI's host (ASP.NET Core's host filtering).
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class HostTests(RedisServerFixture redis)
{
    [Fact]
    public async Task CallbackPageNamesTheConfiguredHostNeverTheRequestsHost()
    {
        // Development: AllowedHosts is "*", so the forged Host reaches the callback.
        using var host = new AuthServiceHost(redis, "Development", new Dictionary<string, string?> { ["REDIRECT_URI"] = "https://auth.example.com/oauth2/success" });
        using var client = host.CreateBareClient();
        var (cookie, state, _) = await AuthServiceHost.AuthorizeAsync(client);
        using var callback = AuthServiceHost.Callback("aPrx-a-code", state, cookie);
        callback.Headers.Host = "evil.example";
        callback.Headers.Accept.ParseAdd("text/html");

        using var response = await client.SendAsync(callback);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("curl -X POST https://auth.example.com/oauth2/token", page, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", page, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/alive")]
    [InlineData("/oauth2/authorize")]
    public async Task DeployedServiceAnswers400ToAForeignHostAndServesItsOwn(string path)
    {
        using var host = new AuthServiceHost(redis, "Production", AuthServiceHost.DeployedSettings());
        using var client = host.CreateBareClient();
        using var foreign = new HttpRequestMessage(HttpMethod.Get, path);
        foreign.Headers.Host = "evil.example";

        using var refused = await client.SendAsync(foreign);
        using var own = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_request", (await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("error").GetString());
        Assert.True(own.StatusCode is HttpStatusCode.OK or HttpStatusCode.Found, $"{path} answered {(int)own.StatusCode} on the redirect URI's own host");
        Assert.Empty(host.Salesforce.Requests);
    }

    [Fact]
    public async Task AllowedHostsAddsHostsButItsStarDoesNotOpenADeployedService()
    {
        var settings = new Dictionary<string, string?>(AuthServiceHost.DeployedSettings()) { ["AllowedHosts"] = "*;api.example.com" };
        using var host = new AuthServiceHost(redis, "Production", settings);
        using var client = host.CreateBareClient();

        using var listed = await SendWithHostAsync(client, "api.example.com");
        using var foreign = await SendWithHostAsync(client, "evil.example");

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
    }

    [Fact]
    public async Task OutsideProductionAnyHostIsServed()
    {
        using var host = new AuthServiceHost(redis, "Development");
        using var client = host.CreateBareClient();

        using var response = await SendWithHostAsync(client, "anything.example");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendWithHostAsync(HttpClient client, string hostName)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/alive");
        request.Headers.Host = hostName;
        return await client.SendAsync(request);
    }
}
