using System.Net;

namespace ResourceService.Tests;

/// <summary>Checklist A3, A8, E40: no token and no API key in any log line, scope or exception, at Trace level.</summary>
public sealed class LogTests
{
    [Fact]
    public async Task NoTokenOrApiKeyIsEverLoggedAtTraceLevel()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        var valid = "00D000000000001!AQ4AQValid." + Guid.NewGuid().ToString("N");
        var demo = "00D000000000001!AQ4AQDemo." + Guid.NewGuid().ToString("N");
        var inQuery = "00D000000000001!AQ4AQQuery." + Guid.NewGuid().ToString("N");
        var inactive = "00D000000000001!AQ4AQInactive." + Guid.NewGuid().ToString("N");
        var duringOutage = "00D000000000001!AQ4AQOutage." + Guid.NewGuid().ToString("N");
        var withForeignInstance = "00D000000000001!AQ4AQForeign." + Guid.NewGuid().ToString("N");

        host.AuthService.Respond = AuthServiceAnswers.Active();
        using (var response = await host.GetAsync("/secured/me", valid))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await host.GetAsync("/secured", headers: ("bearer", demo)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await host.GetAsync("/secured?access_token=" + inQuery))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using (var response = await host.GetAsync("/secured", headers: [("bearer", withForeignInstance), ("instanceurl", "https://evil.com")]))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        host.AuthService.Respond = AuthServiceAnswers.Inactive;
        using (var response = await host.GetAsync("/secured", inactive))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        host.AuthService.Respond = AuthServiceAnswers.Json("""{"active":"garbage"}""");
        using (var response = await host.GetAsync("/secured", duringOutage))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        var lines = host.Logs.Lines;
        // The scan means something only if the verbose levels reach it.
        Assert.Contains(lines, line => line.StartsWith("Trace ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("Debug Microsoft.AspNetCore.", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("AuthService could not validate a token", StringComparison.Ordinal));
        foreach (var secret in new[] { valid, demo, inQuery, inactive, duringOutage, withForeignInstance, ResourceServiceHost.ApiKey })
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(lines, line => line.Contains(Uri.EscapeDataString(secret), StringComparison.Ordinal));
        }
    }
}
