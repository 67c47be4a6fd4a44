using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using AuthService.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AuthService.Tests;

/// <summary>Whatever Salesforce answers, validation fails closed: inactive, or a fault (503), never active by mistake.</summary>
[Collection(SharedRedis.Name)]
public sealed class SalesforceAnswerTests(RedisServerFixture redis)
{
    public static TheoryData<string> GarbageIntrospections => new()
    {
        """{"active":"true","client_id":"our-client-id"}""",
        """{"client_id":"our-client-id"}""",
        """{"active":null}""",
        """[{"active":true}]""",
        "<html><body>Service Unavailable</body></html>",
        "{\"active\":tr",
    };

    [Theory]
    [MemberData(nameof(GarbageIntrospections))]
    public async Task GarbageIntrospectionIsAFaultNotAnAnswer(string body)
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Introspection = () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.Found)]
    [InlineData(HttpStatusCode.Unauthorized)]
    public async Task IntrospectionErrorStatusIsAFault(HttpStatusCode status)
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Introspection = () =>
        {
            var response = FakeSalesforce.Json("""{"active":true}""", status);
            response.Headers.Location = new Uri("http://127.0.0.1:6379/");
            return response;
        };

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default));
        Assert.Single(harness.Salesforce.Requests);
    }

    [Fact]
    public async Task TokenOfAnotherConnectedAppIsInactive()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Introspection = () => FakeSalesforce.Active("someone-elses-client-id", harness.SecondsFromNow(TimeSpan.FromHours(1)));

        Assert.False((await harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default)).Active);
    }

    [Fact]
    public async Task RefreshTokenPresentedAsBearerIsInactive()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Introspection = () => FakeSalesforce.Active(ValidatorHarness.ClientId, harness.SecondsFromNow(TimeSpan.FromHours(1)), tokenType: "refresh_token");

        Assert.False((await harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default)).Active);
    }

    [Fact]
    public async Task TokenFromAnOrgOutsideTheAllowListIsInactive()
    {
        using var harness = new ValidatorHarness(redis.Redis, salesforce: options => options.AllowedOrgIds = "00D000000000001AAA, 00D000000000002");
        harness.Introspection = () => FakeSalesforce.Active(ValidatorHarness.ClientId, harness.SecondsFromNow(TimeSpan.FromHours(1)), org: ValidatorHarness.OrgId);

        Assert.False((await harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default)).Active);
        Assert.Equal(0, harness.Salesforce.CallsTo("/services/oauth2/userinfo"));
    }

    [Fact]
    public async Task TokenFromAnAllowedOrgIsActiveWhicheverIdLengthIsListed()
    {
        using var harness = new ValidatorHarness(redis.Redis, salesforce: options => options.AllowedOrgIds = ValidatorHarness.OrgId[..15]);

        var validation = await harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default);

        Assert.True(validation.Active);
        Assert.Equal(ValidatorHarness.OrgId, validation.OrganizationId);
        Assert.Equal("https://acme.my.salesforce.com", validation.InstanceUrl);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("tab\there")]
    [InlineData("non-ascii-é")]
    public async Task MalformedTokenIsInactiveWithoutAnyCall(string token)
    {
        using var harness = new ValidatorHarness(redis.Redis);

        Assert.False((await harness.Validator.ValidateAsync(token, default)).Active);
        Assert.Empty(harness.Salesforce.Requests);
    }

    [Fact]
    public async Task OversizedTokenIsInactiveWithoutAnyCall()
    {
        using var harness = new ValidatorHarness(redis.Redis);

        Assert.False((await harness.Validator.ValidateAsync(new string('a', 64 * 1024), default)).Active);
        Assert.Empty(harness.Salesforce.Requests);
    }

    [Fact]
    public async Task FiftyConcurrentMissesForOneTokenMakeOneIntrospection()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        var gate = new TaskCompletionSource();
        var answer = harness.Salesforce.Answer;
        harness.Salesforce.Answer = async request =>
        {
            await gate.Task;
            return await answer(request);
        };
        var token = ValidatorHarness.NewToken();
        using var firstCallerGivesUp = new CancellationTokenSource();

        var first = harness.Validator.ValidateAsync(token, firstCallerGivesUp.Token);
        var others = Enumerable.Range(0, 49).Select(_ => harness.Validator.ValidateAsync(token, default)).ToArray();
        await firstCallerGivesUp.CancelAsync();
        gate.SetResult();
        var results = await Task.WhenAll(others).WaitAsync(TimeSpan.FromSeconds(20));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.All(results, r => Assert.True(r.Active));
        Assert.Equal(1, harness.Introspections);
    }

    [Fact]
    public async Task FaultInTheSharedIntrospectionMakesTheOthersRetryOnceTogether()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        var gate = new TaskCompletionSource();
        var answer = harness.Salesforce.Answer;
        var introspections = 0;
        harness.Salesforce.Answer = async request =>
        {
            if (request.RequestUri!.AbsolutePath == "/services/oauth2/introspect" && Interlocked.Increment(ref introspections) == 1)
            {
                await gate.Task;
                return FakeSalesforce.Json("""{"error":"server_error"}""", HttpStatusCode.InternalServerError);
            }

            return await answer(request);
        };
        var callers = await FiftyCallersHeldAtTheGateAsync(harness, gate);

        // The caller whose call failed gets the fault; every other caller gets the answer of one shared retry.
        Assert.Equal(1, callers.Count(c => c.IsFaulted && c.Exception!.InnerException is UpstreamUnavailableException));
        Assert.Equal(49, callers.Count(c => c.IsCompletedSuccessfully && c.Result.Active));
        Assert.Equal(2, harness.Introspections);
    }

    [Fact]
    public async Task FaultInTheRetryIsSharedAndNoThirdCallIsMade()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        var gate = new TaskCompletionSource();
        harness.Salesforce.Answer = async _ =>
        {
            await gate.Task;
            return FakeSalesforce.Json("""{"error":"server_error"}""", HttpStatusCode.InternalServerError);
        };
        var callers = await FiftyCallersHeldAtTheGateAsync(harness, gate);

        Assert.All(callers, c => Assert.IsType<UpstreamUnavailableException>(c.Exception?.InnerException));
        Assert.Equal(2, harness.Introspections);
    }

    /// <summary>
    /// Validates one new token from 50 callers at once and opens <paramref name="gate"/> only when every caller
    /// has missed the cache, so each is at (or a few instructions from) the single-flight table; then waits for all.
    /// </summary>
    private static async Task<Task<TokenValidation>[]> FiftyCallersHeldAtTheGateAsync(ValidatorHarness harness, TaskCompletionSource gate)
    {
        using var lookups = new MetricCollector<long>(harness.Services.GetRequiredService<IMeterFactory>(), AuthMetrics.MeterName, "auth.token.cache.lookups");
        var token = ValidatorHarness.NewToken();
        var callers = Enumerable.Range(0, 50).Select(_ => harness.Validator.ValidateAsync(token, default)).ToArray();
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (lookups.GetMeasurementSnapshot().Count(m => Equals(m.Tags["result"], "miss")) < callers.Length)
        {
            await Task.Delay(5, budget.Token);
        }

        await Task.Delay(50, budget.Token);
        gate.SetResult();
        await Task.WhenAny(Task.WhenAll(callers), Task.Delay(TimeSpan.FromSeconds(20)));
        return callers;
    }

    [Fact]
    public async Task TokenAnswerWithAForgedSignatureIsAFault()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Salesforce.Answer = _ => Task.FromResult(TokenAnswer(signedWith: "not-our-secret"));

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => harness.Client.PasswordAsync("u@example.com", "pw", default));
    }

    [Fact]
    public async Task TokenAnswerSignedWithOurSecretPassesThroughFieldForField()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Salesforce.Answer = _ => Task.FromResult(TokenAnswer(signedWith: harness.SalesforceOptions.ClientSecret));

        var response = await harness.Client.PasswordAsync("u@example.com", "pw", default);

        Assert.Null(response.Error);
        Assert.Equal("00D5g000004ABCD!token", response.Token!["access_token"]!.GetValue<string>());
        Assert.Equal("1795890312070", response.Token!["issued_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task SalesforceErrorIsPassedOnAsDataButAnOddErrorCodeIsNotEchoed()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Salesforce.Answer = _ => Task.FromResult(FakeSalesforce.Json("""{"error":"<b>x</b>","error_description":"line\nbreak"}""", HttpStatusCode.BadRequest));

        var response = await harness.Client.PasswordAsync("u@example.com", "pw", default);

        Assert.Equal("invalid_request", response.Error!.Error);
        Assert.Equal("linebreak", response.Error.ErrorDescription);
    }

    private static HttpResponseMessage TokenAnswer(string signedWith)
    {
        const string id = "https://login.example.com/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5";
        const string issuedAt = "1795890312070";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signedWith), Encoding.UTF8.GetBytes(id + issuedAt)));
        return FakeSalesforce.Json($$"""{"access_token":"00D5g000004ABCD!token","signature":"{{signature}}","scope":"api","instance_url":"https://acme.my.salesforce.com","id":"{{id}}","token_type":"Bearer","issued_at":"{{issuedAt}}"}""");
    }
}
