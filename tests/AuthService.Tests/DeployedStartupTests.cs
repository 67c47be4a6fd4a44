using Microsoft.Extensions.Options;

namespace AuthService.Tests;

/// <summary>
/// Issue 14, items 4 and 5: deployed (Production, not local mode) the AuthService refuses to start without an org
/// allow-list or a key-ring certificate, with one line naming the setting; development and local mode need neither.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class DeployedStartupTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData("Salesforce:AllowedOrgIds", "Salesforce__AllowedOrgIds")]
    [InlineData("DataProtection:Certificate", "DataProtection__Certificate")]
    public void DeployedWithoutTheSettingStopsAtStartNamingIt(string missing, string named)
    {
        var settings = new Dictionary<string, string?>(AuthServiceHost.DeployedSettings()) { [missing] = null };
        using var host = new AuthServiceHost(redis, "Production", settings);

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.StartsWith(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void UnreadableCertificateStopsAtStartNamingTheSettingWithoutEchoingIt()
    {
        var settings = new Dictionary<string, string?>(AuthServiceHost.DeployedSettings("bm90IGEgY2VydGlmaWNhdGU="));
        using var host = new AuthServiceHost(redis, "Production", settings);

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.StartsWith("DataProtection__Certificate", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bm90IGEgY2VydGlmaWNhdGU=", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnreadablePreviousCertificateStopsAtStartNamingTheSetting()
    {
        var settings = new Dictionary<string, string?>(AuthServiceHost.DeployedSettings()) { ["DataProtection:PreviousCertificate"] = "bm90IGEgY2VydGlmaWNhdGU=" };
        using var host = new AuthServiceHost(redis, "Production", settings);

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.StartsWith("DataProtection__PreviousCertificate must be a base64 PKCS#12", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bm90IGEgY2VydGlmaWNhdGU=", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task AllowAnyOrgSaysOnPurposeThatNoOrgListIsWanted()
    {
        var settings = new Dictionary<string, string?>(AuthServiceHost.DeployedSettings()) { ["Salesforce:AllowedOrgIds"] = null, ["Salesforce:AllowAnyOrg"] = "true" };
        using var host = new AuthServiceHost(redis, "Production", settings);
        using var client = host.CreateClient();

        using var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, alive.StatusCode);
    }

    [Theory]
    [InlineData("Development", null)]
    [InlineData("Production", "local")]
    public async Task DevelopmentAndLocalModeNeedNeitherOrgListNorCertificate(string environment, string? serverEnv)
    {
        using var host = new AuthServiceHost(redis, environment, new Dictionary<string, string?> { ["SERVER_ENV"] = serverEnv });
        using var client = host.CreateClient();

        using var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, alive.StatusCode);
    }
}
