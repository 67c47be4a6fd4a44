using AuthService.Flow;
using AuthService.Salesforce;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthService.Tests;

/// <summary>
/// Issue 14, item 2: a refresh's answer is shared only among calls that overlap in time, bound to that refresh
/// token, and forgotten on revoke; a later replay goes to Salesforce, whose reuse detection then sees it.
/// Two coordinators on one Redis stand for two instances; the clock is fake.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class RefreshCoordinatorTests(RedisServerFixture redis) : IDisposable
{
    private const string TokenPath = "/services/oauth2/token";

    private readonly ValidatorHarness _harness = new(redis.Redis);
    private readonly IDataProtectionProvider _keyRing = new EphemeralDataProtectionProvider();

    [Fact]
    public async Task AnswerIsSharedWithAnotherInstanceWithinTheWindow()
    {
        var refreshToken = NewRefreshToken();
        AnswerRefreshes();

        var first = await NewInstance().RefreshAsync(refreshToken, default);
        _harness.Time.Advance(RefreshCoordinator.ShareWindow / 2);
        var second = await NewInstance().RefreshAsync(refreshToken, default);

        Assert.Equal(1, _harness.Salesforce.CallsTo(TokenPath));
        Assert.Equal(AccessToken(first), AccessToken(second));
    }

    [Fact]
    public async Task ReplayAfterTheWindowGoesToSalesforce()
    {
        var refreshToken = NewRefreshToken();
        AnswerRefreshes();
        var instance = NewInstance();

        var first = await instance.RefreshAsync(refreshToken, default);
        _harness.Time.Advance(RefreshCoordinator.ShareWindow);
        var replay = await NewInstance().RefreshAsync(refreshToken, default);

        Assert.Equal(2, _harness.Salesforce.CallsTo(TokenPath));
        Assert.NotEqual(AccessToken(first), AccessToken(replay));
    }

    [Fact]
    public async Task AnswerIsBoundToItsRefreshToken()
    {
        AnswerRefreshes();

        var first = await NewInstance().RefreshAsync(NewRefreshToken(), default);
        var other = await NewInstance().RefreshAsync(NewRefreshToken(), default);

        Assert.Equal(2, _harness.Salesforce.CallsTo(TokenPath));
        Assert.NotEqual(AccessToken(first), AccessToken(other));
    }

    [Fact]
    public async Task AfterForgettingTheTokenTheNextRefreshGoesToSalesforce()
    {
        var refreshToken = NewRefreshToken();
        AnswerRefreshes();
        await NewInstance().RefreshAsync(refreshToken, default);

        await NewInstance().ForgetAsync(refreshToken);
        await NewInstance().RefreshAsync(refreshToken, default);

        Assert.Equal(2, _harness.Salesforce.CallsTo(TokenPath));
    }

    [Fact]
    public async Task RefreshInFlightDuringARevokeLeavesNothingToShare()
    {
        var refreshToken = NewRefreshToken();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        _harness.Salesforce.Answer = async _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await gate.Task;
            }

            return Refreshed();
        };
        var inFlight = NewInstance().RefreshAsync(refreshToken, default);
        await WaitUntilAsync(() => calls == 1);

        await NewInstance().ForgetAsync(refreshToken);
        gate.SetResult();
        await inFlight;
        await NewInstance().RefreshAsync(refreshToken, default);

        Assert.Equal(2, _harness.Salesforce.CallsTo(TokenPath));
    }

    public void Dispose() => _harness.Dispose();

    private RefreshCoordinator NewInstance() =>
        new(new RedisCalls(redis.Redis, Options.Create(new RedisCallOptions()), NullLogger<RedisCalls>.Instance), _harness.Client, _keyRing, _harness.Metrics, _harness.Time, NullLogger<RefreshCoordinator>.Instance);

    private void AnswerRefreshes() => _harness.Salesforce.Answer = _ => Task.FromResult(Refreshed());

    /// <summary>Salesforce's refresh answer under rotation: a new access token and the next refresh token each time.</summary>
    private static HttpResponseMessage Refreshed() => FakeSalesforce.Json(
        $$"""{"access_token":"00D5g000004ABCD!{{Guid.NewGuid():N}}","refresh_token":"5Aep861{{Guid.NewGuid():N}}","instance_url":"https://acme.my.salesforce.com","id":"https://login.example.com/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5","token_type":"Bearer","issued_at":"1700000000000"}""");

    private static string AccessToken(TokenResponse response) => response.Token!["access_token"]!.GetValue<string>();

    private static string NewRefreshToken() => $"5Aep861{Guid.NewGuid():N}";

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, budget.Token);
        }
    }
}
