using System.Text.Json;

namespace SalesforceEmulator.Tests;

/// <summary>jsforce, unmodified and with no special handling, logs in, reads the identity, queries, refreshes and revokes against the emulator.</summary>
public sealed class JsforceConformanceTests(JsforceFixture jsforce) : IClassFixture<JsforceFixture>
{
    private const string UserId = "0055g00000DEMOUAA5";
    private const string OrgId = "00D5g000004ABCDEA4";

    [Fact]
    public void PasswordLoginGivesJsforceTheUserOrgAndIdentity()
    {
        var password = jsforce.Result.GetProperty("password");

        Assert.Equal(UserId, password.GetProperty("userId").GetString());
        Assert.Equal(OrgId, password.GetProperty("organizationId").GetString());
        Assert.Equal($"{jsforce.LoginUrl}/id/{OrgId}/{UserId}", password.GetProperty("url").GetString());
        Assert.Equal(jsforce.LoginUrl, password.GetProperty("instanceUrl").GetString());
        Assert.Equal(JsonValueKind.Null, password.GetProperty("refreshToken").ValueKind);
        Assert.Equal(Salesforce.Username, password.GetProperty("identityUsername").GetString());
        Assert.Equal(UserId, password.GetProperty("identityUserId").GetString());
        Assert.Equal(OrgId, password.GetProperty("identityOrgId").GetString());
        Assert.Equal(Salesforce.Username, password.GetProperty("userRecordUsername").GetString());
    }

    [Fact]
    public void JsforceQueryGetsTheUserRecordFromThePasswordSession()
    {
        var query = jsforce.Result.GetProperty("query");

        Assert.Equal(1, query.GetProperty("totalSize").GetInt32());
        Assert.True(query.GetProperty("done").GetBoolean());
        Assert.Equal("User", query.GetProperty("type").GetString());
        Assert.Equal(UserId, query.GetProperty("id").GetString());
        Assert.Equal(Salesforce.Username, query.GetProperty("username").GetString());
        Assert.True(query.GetProperty("isActive").GetBoolean());
    }

    [Fact]
    public void QueryOfAnUnknownSObjectReachesJsforceAsInvalidType()
    {
        var badQuery = jsforce.Result.GetProperty("badQuery");

        Assert.Equal("INVALID_TYPE", badQuery.GetProperty("name").GetString());
        Assert.Equal("INVALID_TYPE", badQuery.GetProperty("errorCode").GetString());
        Assert.Contains("sObject type 'Nothing__c' is not supported.", badQuery.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LogoutRevokesTheSessionSoJsforceSeesInvalidSessionId()
    {
        var afterLogout = jsforce.Result.GetProperty("password").GetProperty("afterLogout");

        Assert.Equal("INVALID_SESSION_ID", afterLogout.GetProperty("name").GetString());
        Assert.Equal("INVALID_SESSION_ID", afterLogout.GetProperty("errorCode").GetString());
        Assert.Equal("Session expired or invalid", afterLogout.GetProperty("message").GetString());
    }

    [Fact]
    public void WrongPasswordReachesJsforceAsInvalidGrant()
    {
        var wrong = jsforce.Result.GetProperty("wrongPassword");

        Assert.Equal("invalid_grant", wrong.GetProperty("name").GetString());
        Assert.Equal("authentication failure", wrong.GetProperty("message").GetString());
    }

    [Fact]
    public void WebServerFlowWithJsforcePkceVerifierGivesARefreshToken()
    {
        var web = jsforce.Result.GetProperty("webServer");

        Assert.Equal(302, web.GetProperty("redirectStatus").GetInt32());
        Assert.Equal("jsforce-state", web.GetProperty("state").GetString());
        Assert.Equal(UserId, web.GetProperty("userId").GetString());
        Assert.True(web.GetProperty("hasRefreshToken").GetBoolean());
        Assert.Equal(Salesforce.Username, web.GetProperty("identityUsername").GetString());
    }

    [Fact]
    public void ExplicitRefreshGivesANewAccessTokenWithoutRotation()
    {
        var web = jsforce.Result.GetProperty("webServer");

        Assert.True(web.GetProperty("refreshedTokenDiffers").GetBoolean());
        Assert.Equal(
            ["access_token", "id", "id_token", "instance_url", "issued_at", "scope", "signature", "token_type"],
            web.GetProperty("refreshedKeys").EnumerateArray().Select(k => k.GetString()!).ToArray());
    }

    [Fact]
    public void JsforceRefreshesByItselfWhenTheSessionExpires()
    {
        var web = jsforce.Result.GetProperty("webServer");

        Assert.Equal(200, web.GetProperty("expireHookStatus").GetInt32());
        Assert.Equal(1, web.GetProperty("automaticRefreshes").GetInt32());
        Assert.Equal(Salesforce.Username, web.GetProperty("userAfterExpiry").GetString());
    }

    [Fact]
    public void LogoutWithRevokeEndsTheRefreshToken()
    {
        var afterRevoke = jsforce.Result.GetProperty("webServer").GetProperty("refreshAfterRevoke");

        Assert.Equal("invalid_grant", afterRevoke.GetProperty("name").GetString());
        Assert.Equal("expired access/refresh token", afterRevoke.GetProperty("message").GetString());
    }

    [Fact]
    public void RevokingAnUnknownTokenReachesJsforceAsInvalidToken()
    {
        var revoke = jsforce.Result.GetProperty("revokeUnknown");

        Assert.Equal("invalid_token", revoke.GetProperty("name").GetString());
    }

    [Fact]
    public void EmulatorSawJsforceUseEveryEndpointOfTheFlows()
    {
        var calls = jsforce.Requests.EnumerateArray()
            .Select(r => $"{r.GetProperty("method").GetString()} {r.GetProperty("path").GetString()} {r.GetProperty("grantType").GetString()}".TrimEnd())
            .ToList();

        Assert.Equal(
            [
                "POST /services/oauth2/token password",
                $"GET /id/{OrgId}/{UserId}",
                $"GET /services/data/v50.0/sobjects/User/{UserId}",
                "GET /services/data/v50.0/query",
                "GET /services/data/v50.0/query",
                "POST /services/oauth2/revoke",
                "GET /services/data/v50.0",
                "POST /services/oauth2/token password",
                "GET /services/oauth2/authorize",
                "POST /services/oauth2/authorize",
                "POST /services/oauth2/token authorization_code",
                $"GET /id/{OrgId}/{UserId}",
                "POST /services/oauth2/token refresh_token",
                $"GET /services/data/v50.0/sobjects/User/{UserId}",
                "POST /services/oauth2/token refresh_token",
                $"GET /services/data/v50.0/sobjects/User/{UserId}",
                "POST /services/oauth2/revoke",
                "POST /services/oauth2/token refresh_token",
                "POST /services/oauth2/revoke",
            ],
            calls);
    }
}
