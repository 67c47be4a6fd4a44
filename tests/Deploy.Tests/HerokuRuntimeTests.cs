using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Deploy.Tests;

/// <summary>The two images' services, run as dynos with only Heroku's environment, work together.</summary>
[Collection(PublishedServices.Name)]
public sealed class HerokuRuntimeTests(PublishedServicesFixture fixture)
{
    [Fact]
    public async Task BothServicesReportHealthyAndAliveOnTheirPort()
    {
        foreach (var service in new[] { fixture.AuthService, fixture.ResourceService })
        {
            using var client = service.CreateClient();
            using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
            using var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative));

            Assert.True(health.StatusCode == HttpStatusCode.OK, $"{service.Name} /health: {(int)health.StatusCode}\n{service.Output}");
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }
    }

    [Fact]
    public async Task PasswordGrantTokenFromTheAuthAppOpensSecuredOnTheResourceApp()
    {
        using var auth = fixture.AuthService.CreateClient();
        using var resource = fixture.ResourceService.CreateClient();

        var token = await LogInAsync(auth);
        using var anonymous = await resource.GetAsync(new Uri("/secured", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/secured");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var secured = await resource.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.True(secured.StatusCode == HttpStatusCode.OK,
            $"/secured answered {(int)secured.StatusCode}.\nauth:\n{fixture.AuthService.Output}\nresource:\n{fixture.ResourceService.Output}");
        Assert.Contains("Accessing secured resource", await secured.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void ServicesListenOnAllInterfacesAtPortInsteadOfTheImagesPort8080()
    {
        foreach (var service in new[] { fixture.AuthService, fixture.ResourceService })
        {
            var listening = service.Lines.Where(line => line.Contains("Now listening on:", StringComparison.Ordinal)).ToList();

            Assert.True(listening.Count == 1, $"{service.Name} should listen on exactly one address:\n{string.Join('\n', listening)}");
            Assert.EndsWith($"http://0.0.0.0:{service.Port}", listening[0].Trim(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AuthServiceWritesNothingToHomeBecauseItsKeysLiveInRedis()
    {
        // Exercise what could write (a Data Protection key for the state cookie, the Redis TLS handshake, a login) first.
        using var auth = fixture.AuthService.CreateClient();
        using var authorize = await auth.GetAsync(new Uri("/oauth2/authorize", UriKind.Relative));
        await LogInAsync(auth);

        Assert.Equal(HttpStatusCode.Found, authorize.StatusCode);
        var written = Directory.EnumerateFileSystemEntries(fixture.AuthServiceHome, "*", SearchOption.AllDirectories)
            .Select(entry => Path.GetRelativePath(fixture.AuthServiceHome, entry)).ToList();
        Assert.True(written.Count == 0, $"The AuthService wrote to HOME: {string.Join(", ", written)}");
    }

    internal static async Task<string> LogInAsync(HttpClient auth)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = EmulatorUser.Username,
            ["password"] = EmulatorUser.Password,
        });
        using var response = await auth.PostAsync(new Uri("/oauth2/login", UriKind.Relative), form);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/oauth2/login answered {(int)response.StatusCode}.");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("access_token").GetString()!;
    }
}
