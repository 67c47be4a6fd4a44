namespace EndToEnd.Tests;

[Collection(SharedAspireApp.Name)]
public sealed class LogHygieneTests(AspireAppFixture fixture)
{
    [Fact]
    public async Task LogsOfEveryProcessAreCapturedAndHoldNoSecretSoFar()
    {
        var token = await fixture.GetPasswordGrantTokenAsync();
        using var resource = fixture.CreateClient("resourceservice");
        using var secured = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token));
        using var auth = fixture.CreateClient("authservice");
        using var demoLogin = await auth.GetAsync($"/oauth2/login?username={Uri.EscapeDataString(EmulatorUser.Username)}&password={EmulatorUser.Password}");

        var lines = await fixture.CapturedLogLinesAsync();

        // The scan means something only if each process's output reaches it.
        Assert.Contains(lines, l => l.Contains(".Resources.authservice", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(".Resources.resourceservice", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(".Resources.salesforce", StringComparison.Ordinal));
        Assert.Empty(await fixture.FindSecretsInLogsAsync());
    }
}
