using System.Net;
using System.Text;

namespace AuthService.Tests;

/// <summary>
/// Password-grant tokens are Salesforce Session IDs that introspection calls inactive: valid here only when this
/// AuthService obtained them, and then checked through UserInfo.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class PasswordSessionTests(RedisServerFixture redis)
{
    private const string IdentityUrl = $"https://login.example.com/id/{ValidatorHarness.OrgId}/0055g00000DEMOUAA5";

    [Fact]
    public async Task PasswordTokenWeObtainedIsValidatedThroughUserInfoWithoutIntrospection()
    {
        using var harness = Harness(userInfo: () => FakeSalesforce.UserInfoOf());
        var token = ValidatorHarness.NewToken();
        await harness.PasswordSessions.RecordAsync(token, IdentityUrl);

        var validation = await harness.Validator.ValidateAsync(token, default);

        Assert.True(validation.Active);
        Assert.Equal("0055g00000DEMOUAA5", validation.UserId);
        Assert.Equal(ValidatorHarness.OrgId, validation.OrganizationId);
        Assert.Equal("u@example.com", validation.Username);
        Assert.Equal("https://acme.my.salesforce.com", validation.InstanceUrl);
        Assert.Equal(IdentityUrl, validation.Subject);
        Assert.Equal(ValidatorHarness.ClientId, validation.ClientId);
        Assert.Null(validation.Scope);
        Assert.Equal(0, harness.Introspections);
        Assert.Equal(1, harness.UserInfoCalls);
    }

    [Fact]
    public async Task PasswordTokenValidationIsCachedAndRecheckedAfterTheCeiling()
    {
        using var harness = Harness(userInfo: () => FakeSalesforce.UserInfoOf(), cache => cache.MaxTtl = TimeSpan.FromSeconds(60));
        var token = ValidatorHarness.NewToken();
        await harness.PasswordSessions.RecordAsync(token, IdentityUrl);

        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);
        harness.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);
        Assert.Equal(1, harness.UserInfoCalls);

        harness.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);
        Assert.Equal(2, harness.UserInfoCalls);
    }

    [Fact]
    public async Task TokenIntrospectionCallsInactiveAndWeDidNotObtainIsRefusedWithoutAskingUserInfo()
    {
        // UserInfo would vouch for it: it answers for any live session of the org, whichever app it was issued to.
        using var harness = Harness(userInfo: () => FakeSalesforce.UserInfoOf());

        var validation = await harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default);

        Assert.False(validation.Active);
        Assert.Equal(1, harness.Introspections);
        Assert.Equal(0, harness.UserInfoCalls);
    }

    [Theory]
    [InlineData("00D5g000004ZZZZEA4", "0055g00000DEMOUAA5")]
    [InlineData(ValidatorHarness.OrgId, "0055g00000OTHERAA5")]
    public async Task PasswordTokenWhoseUserInfoNamesAnotherUserOrOrgIsRefused(string org, string user)
    {
        using var harness = Harness(userInfo: () => FakeSalesforce.UserInfoOf(org, user));
        var token = ValidatorHarness.NewToken();
        await harness.PasswordSessions.RecordAsync(token, IdentityUrl);

        Assert.False((await harness.Validator.ValidateAsync(token, default)).Active);
    }

    [Fact]
    public async Task DeadPasswordSessionIsRefused()
    {
        using var harness = Harness(userInfo: () => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("Bad_OAuth_Token") });
        var token = ValidatorHarness.NewToken();
        await harness.PasswordSessions.RecordAsync(token, IdentityUrl);

        Assert.False((await harness.Validator.ValidateAsync(token, default)).Active);
        Assert.Equal(1, harness.UserInfoCalls);
    }

    [Fact]
    public async Task PasswordTokenOfADeactivatedUserIsRefused()
    {
        using var harness = Harness(userInfo: () => FakeSalesforce.UserInfoOf(active: false));
        var token = ValidatorHarness.NewToken();
        await harness.PasswordSessions.RecordAsync(token, IdentityUrl);

        Assert.False((await harness.Validator.ValidateAsync(token, default)).Active);
    }

    [Fact]
    public async Task PasswordTokenFromAnOrgOutsideTheAllowListIsRefusedWithoutAnyCall()
    {
        using var harness = new ValidatorHarness(redis.Redis, salesforce: options => options.AllowedOrgIds = "00D5g000004ZZZZ");
        harness.Salesforce.Answer = _ => Task.FromResult(FakeSalesforce.UserInfoOf());
        var token = ValidatorHarness.NewToken();
        await harness.PasswordSessions.RecordAsync(token, IdentityUrl);

        Assert.False((await harness.Validator.ValidateAsync(token, default)).Active);
        Assert.Empty(harness.Salesforce.Requests);
    }

    [Fact]
    public async Task UserInfoFaultIsA503NotARefusal()
    {
        using var harness = Harness(userInfo: () => FakeSalesforce.Json("{}", HttpStatusCode.ServiceUnavailable));
        var token = ValidatorHarness.NewToken();
        await harness.PasswordSessions.RecordAsync(token, IdentityUrl);

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => harness.Validator.ValidateAsync(token, default));
    }

    [Fact]
    public async Task ForgedPasswordSessionRecordIsNotOurs()
    {
        using var harness = Harness(userInfo: () => FakeSalesforce.UserInfoOf());
        var token = ValidatorHarness.NewToken();
        await redis.Redis.GetDatabase().StringSetAsync(RedisKeys.PasswordSession(token), new byte[16].Concat(Encoding.UTF8.GetBytes($"{ValidatorHarness.OrgId} 0055g00000DEMOUAA5 {IdentityUrl}")).ToArray(), TimeSpan.FromMinutes(1));

        Assert.False((await harness.Validator.ValidateAsync(token, default)).Active);
        Assert.Equal(0, harness.UserInfoCalls);
    }

    [Fact]
    public async Task RevokedPasswordTokenIsRefusedAndItsRecordForgotten()
    {
        using var harness = Harness(userInfo: () => FakeSalesforce.UserInfoOf(), cache => cache.MaxTtl = TimeSpan.FromSeconds(60));
        var token = ValidatorHarness.NewToken();
        await harness.PasswordSessions.RecordAsync(token, IdentityUrl);
        Assert.True((await harness.Validator.ValidateAsync(token, default)).Active);

        await harness.Validator.RevokeAsync(token, []);

        Assert.False((await harness.Validator.ValidateAsync(token, default)).Active);
        Assert.False((await harness.PasswordSessions.FindAsync(token)).IsOurs);
        Assert.Equal(1, harness.UserInfoCalls);
    }

    [Fact]
    public async Task WhenRedisCannotSayWhetherATokenIsOursAnInactiveIntrospectionIsA503()
    {
        using var down = RedisServerFixture.ConnectToNothing();
        using var harness = new ValidatorHarness(down);
        harness.Introspection = () => FakeSalesforce.Json("""{"active":false}""");

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default).WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task RecordHoldsNeitherTheTokenNorOutlivesTheLongestSession()
    {
        using var harness = Harness(userInfo: () => FakeSalesforce.UserInfoOf());
        var token = ValidatorHarness.NewToken();

        await harness.PasswordSessions.RecordAsync(token, IdentityUrl);
        var db = redis.Redis.GetDatabase();
        var stored = (byte[])(await db.StringGetAsync(RedisKeys.PasswordSession(token)))!;
        var ttl = await db.KeyTimeToLiveAsync(RedisKeys.PasswordSession(token));

        Assert.DoesNotContain(token, Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Matches("^v1:pwd:[0-9a-f]{64}$", RedisKeys.PasswordSession(token));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
    }

    private ValidatorHarness Harness(Func<HttpResponseMessage> userInfo, Action<TokenCacheOptions>? cache = null)
    {
        var harness = new ValidatorHarness(redis.Redis, cache);
        harness.Introspection = () => FakeSalesforce.Json("""{"active":false}""");
        harness.Salesforce.Answer = request => Task.FromResult(request.RequestUri!.AbsolutePath switch
        {
            "/services/oauth2/introspect" => harness.Introspection(),
            "/services/oauth2/userinfo" => userInfo(),
            _ => FakeSalesforce.Json("{}", HttpStatusCode.NotFound),
        });
        return harness;
    }
}
