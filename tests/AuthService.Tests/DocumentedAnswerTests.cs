using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AuthService.Tests;

/// <summary>
/// Salesforce's documented answers (tests/TestSupport/salesforce-answers.jsonc, each with its source) fed to the
/// AuthService's Salesforce client through its own HttpClient pipeline, with only the wire replaced: what the
/// product does with each is what it will do with a real org.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class DocumentedAnswerTests(RedisServerFixture redis)
{
    public static TheoryData<string> TokenSuccesses => new(SalesforceAnswers.Names("token.").Where(name => !name.StartsWith("token.error.", StringComparison.Ordinal)));

    public static TheoryData<string> TokenErrors => new(SalesforceAnswers.Names("token.error."));

    [Theory]
    [MemberData(nameof(TokenSuccesses))]
    public async Task EveryDocumentedTokenAnswerPassesThroughFieldForField(string name)
    {
        using var harness = new ValidatorHarness(redis.Redis);
        // Signed with our secret as Salesforce would sign it for us; every other value is the documentation's.
        var documented = SignedForUs(SalesforceAnswers.Body(name).AsObject(), harness.SalesforceOptions.ClientSecret);
        harness.Salesforce.Answer = _ => Task.FromResult(SalesforceAnswers.Response(name, documented));

        var response = await harness.Client.PasswordAsync("u@example.com", "p", default);

        Assert.Null(response.Error);
        Assert.True(JsonNode.DeepEquals(documented, response.Token), $"{name}: {response.Token}");
    }

    [Theory]
    [MemberData(nameof(TokenErrors))]
    public async Task EveryDocumentedTokenErrorBecomesThatOAuthErrorNeverAFault(string name)
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Salesforce.Answer = _ => Task.FromResult(SalesforceAnswers.Response(name));
        var documented = SalesforceAnswers.Body(name);

        var response = await harness.Client.ExchangeCodeAsync("code", "verifier", default);

        Assert.Null(response.Token);
        Assert.Equal(documented["error"]!.GetValue<string>(), response.Error!.Error);
        Assert.Equal(documented["error_description"]!.GetValue<string>(), response.Error.ErrorDescription);
    }

    [Fact]
    public async Task DocumentedActiveIntrospectionOfOurOwnTokenIsActiveWithItsUserAndOrg()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        var answer = SalesforceAnswers.Body("introspect.active").AsObject();
        answer["client_id"] = ValidatorHarness.ClientId;
        answer["exp"] = harness.SecondsFromNow(TimeSpan.FromHours(1));
        harness.Introspection = () => SalesforceAnswers.Response("introspect.active", answer);

        var validation = await harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default);

        Assert.True(validation.Active);
        Assert.Equal("00Dx0000000BV7zEAG", validation.OrganizationId);
        Assert.Equal("005x00000012Q9PAAU", validation.UserId);
        Assert.Equal("user@example.com", validation.Username);
        Assert.Equal("id api web full refresh_token openid", validation.Scope);
    }

    [Fact]
    public async Task DocumentedActiveIntrospectionOfAnotherAppsTokenIsRefused()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        var answer = SalesforceAnswers.Body("introspect.active").AsObject();
        answer["exp"] = harness.SecondsFromNow(TimeSpan.FromHours(1));
        harness.Introspection = () => SalesforceAnswers.Response("introspect.active", answer);

        Assert.False((await harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default)).Active);
    }

    [Fact]
    public async Task DocumentedInactiveIntrospectionIsRefusedWithoutAskingUserInfo()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Introspection = () => SalesforceAnswers.Response("introspect.inactive");

        Assert.False((await harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default)).Active);
        Assert.Equal(0, harness.UserInfoCalls);
    }

    [Fact]
    public async Task DocumentedUserInfoGivesTheUserOrgUsernameAndInstance()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Salesforce.Answer = _ => Task.FromResult(SalesforceAnswers.Response("userinfo"));

        var userInfo = await harness.Client.GetUserInfoAsync("token", default);

        Assert.Equal(new Salesforce.UserInfo("005B0000005V71XIAS", "00DB0000000ToZ3MAK", "u@example.com", true, new Uri("https://example.my.salesforce.com")), userInfo);
    }

    [Fact]
    public async Task DocumentedUserInfoRefusalMeansTheTokenIsDeadNotAFault()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Salesforce.Answer = _ => Task.FromResult(SalesforceAnswers.Response("userinfo.bad_token"));

        Assert.Null(await harness.Client.GetUserInfoAsync("token", default));
    }

    [Theory]
    [InlineData("revoke")]
    [InlineData("revoke.error")]
    public async Task DocumentedRevokeAnswersAreBothDoneForTheCaller(string name)
    {
        // RFC 7009 §2.2: an invalid token needs no revoking; Salesforce's 400 for one is not a fault.
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Salesforce.Answer = _ => Task.FromResult(SalesforceAnswers.Response(name));

        await harness.Client.RevokeAsync("token", default);

        Assert.Single(harness.Salesforce.Requests);
    }

    [Fact]
    public async Task AnAnswerLargerThanTheCapIsAFaultNotBuffered()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Introspection = () => FakeSalesforce.Json($$"""{"active":false,"pad":"{{new string('x', 300 * 1024)}}"}""");

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default));
    }

    [Fact]
    public async Task AnAnswerThatNeverComesIsAFaultOnceThePipelinesTimeoutPasses()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        harness.Salesforce.Stalled = true;

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default).WaitAsync(TimeSpan.FromSeconds(20)));
    }

    private static JsonObject SignedForUs(JsonObject answer, string clientSecret)
    {
        if (answer["signature"] is not null)
        {
            var message = $"{answer["id"]}{answer["issued_at"]}";
            answer["signature"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(message)));
        }

        return answer;
    }
}
