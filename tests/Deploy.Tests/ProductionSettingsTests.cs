using System.Net;

namespace Deploy.Tests;

/// <summary>
/// Issue 14, items 4, 5 and 6 on a dyno: Production needs the org allow-list and the key-ring certificate (one line
/// naming the missing one, and the dyno stops), and answers only requests addressed to the redirect URI's host.
/// </summary>
[Collection(PublishedServices.Name)]
public sealed class ProductionSettingsTests(PublishedServicesFixture fixture)
{
    [Theory]
    [InlineData("Salesforce__AllowedOrgIds")]
    [InlineData("DataProtection__Certificate")]
    public async Task DynoWithoutTheSettingStopsAtStartWithALineNamingIt(string setting)
    {
        await using var dyno = fixture.StartAuthService(configure: environment => environment.Remove(setting));

        Assert.True(await dyno.WaitForExitAsync(PublishedServicesFixture.StartTimeout), $"The dyno kept running without {setting}.\n{dyno.Output}");
        Assert.NotEqual(0, dyno.ExitCode);
        Assert.Contains(dyno.Lines, line => line.Contains($"{setting} must be set in production", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/oauth2/authorize")]
    public async Task RequestForAForeignHostGets400AndTheRedirectUrisHostIsServed(string path)
    {
        using var auth = fixture.AuthService.CreateClient();
        using var foreign = new HttpRequestMessage(HttpMethod.Get, path);
        foreign.Headers.Host = "evil.example";

        using var refused = await auth.SendAsync(foreign);
        // The redirect URI names 127.0.0.1, the host every client of this dyno (the ResourceService too) uses.
        using var own = await auth.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(own.StatusCode is HttpStatusCode.OK or HttpStatusCode.Found, $"{path} answered {(int)own.StatusCode}.\n{fixture.AuthService.Output}");
    }
}
