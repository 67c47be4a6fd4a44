using System.Net;

namespace Deploy.Tests;

/// <summary>Heroku stops a dyno with SIGTERM and kills it 30 s later: requests in flight must still finish.</summary>
[Collection(PublishedServices.Name)]
public sealed class ShutdownTests(PublishedServicesFixture fixture)
{
    private const string SalesforceTokenPath = "/services/oauth2/token";
    private const int InFlight = 4;

    [Fact]
    public async Task SigtermLetsInFlightLoginsFinishAndExitsBeforeHerokusKill()
    {
        await using var dyno = fixture.StartAuthService();
        await dyno.WaitUntilOkAsync("/health", PublishedServicesFixture.StartTimeout);
        using var auth = dyno.CreateClient();
        var before = await fixture.CountEmulatorRequestsAsync(SalesforceTokenPath);
        // Slow, but inside the AuthService's own 3 s budget for a Salesforce call.
        await fixture.SetEmulatorLatencyAsync(SalesforceTokenPath, latencyMs: 1000, count: InFlight);
        try
        {
            var logins = Enumerable.Range(0, InFlight).Select(_ => LogInStatusAsync(auth)).ToList();
            await WaitUntilAsync(async () => await fixture.CountEmulatorRequestsAsync(SalesforceTokenPath) >= before + InFlight, TimeSpan.FromSeconds(20));

            await dyno.TerminateAsync();
            var statuses = await Task.WhenAll(logins).WaitAsync(TimeSpan.FromSeconds(20));
            var exited = await dyno.WaitForExitAsync(PublishedServicesFixture.HerokuShutdownLimit);

            Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
            Assert.True(exited, $"The AuthService was still running {PublishedServicesFixture.HerokuShutdownLimit.TotalSeconds} s after SIGTERM.\n{dyno.Output}");
            Assert.Equal(0, dyno.ExitCode);
        }
        finally
        {
            await fixture.ClearEmulatorFaultsAsync();
        }
    }

    private static async Task<HttpStatusCode> LogInStatusAsync(HttpClient auth)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = EmulatorUser.Username,
            ["password"] = EmulatorUser.Password,
        });
        using var response = await auth.PostAsync(new Uri("/oauth2/login", UriKind.Relative), form);
        return response.StatusCode;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
