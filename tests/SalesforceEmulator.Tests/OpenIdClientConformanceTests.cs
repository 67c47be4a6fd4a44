using System.Text.Json;

namespace SalesforceEmulator.Tests;

/// <summary>
/// openid-client 6 (an OpenID Connect certified relying party), unmodified but for its documented opt-ins (http on loopback;
/// every id_token's signature checked against jwks_uri), runs discovery, the code flow with PKCE and its id_token checks,
/// userinfo, refresh, revocation and logout against the emulator.
/// </summary>
public sealed class OpenIdClientConformanceTests(OpenIdClientFixture oidc) : IClassFixture<OpenIdClientFixture>
{
    private const string UserId = "0055g00000DEMOUAA5";
    private const string OrgId = "00D5g000004ABCDEA4";

    [Fact]
    public void DiscoveryNamesTheLoginHostAsIssuerAndEveryEndpointItServes()
    {
        var discovery = oidc.Result.GetProperty("discovery");

        Assert.Equal(oidc.LoginUrl, discovery.GetProperty("issuer").GetString());
        Assert.Equal($"{oidc.LoginUrl}/services/auth/idp/oidc/logout", discovery.GetProperty("endSession").GetString());
        Assert.Equal($"{oidc.LoginUrl}/services/oauth2/register", discovery.GetProperty("registration").GetString());
        Assert.Equal($"{oidc.LoginUrl}/id/keys", discovery.GetProperty("jwks").GetString());
        Assert.Contains("S256", discovery.GetProperty("pkceMethods").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public void CodeFlowWithPkceGivesAnIdTokenTheLibraryAccepted()
    {
        var codeFlow = oidc.Result.GetProperty("codeFlow");

        Assert.Equal(302, codeFlow.GetProperty("redirectStatus").GetInt32());
        Assert.True(codeFlow.GetProperty("sessionCookie").GetBoolean());
        Assert.Equal("bearer", codeFlow.GetProperty("tokenType").GetString());
        Assert.True(codeFlow.GetProperty("hasRefreshToken").GetBoolean());
        Assert.Equal($"{oidc.LoginUrl}/id/{OrgId}/{UserId}", codeFlow.GetProperty("idTokenSub").GetString());
        Assert.Equal(Salesforce.ClientId, codeFlow.GetProperty("idTokenAud").GetString());
        Assert.Equal(oidc.LoginUrl, codeFlow.GetProperty("idTokenIss").GetString());
        Assert.False(string.IsNullOrEmpty(codeFlow.GetProperty("idTokenNonce").GetString()));
    }

    [Fact]
    public void UserInfoHasTheIdTokensSubject()
    {
        var userInfo = oidc.Result.GetProperty("userInfo");

        Assert.Equal($"{oidc.LoginUrl}/id/{OrgId}/{UserId}", userInfo.GetProperty("sub").GetString());
        Assert.Equal(Salesforce.Username, userInfo.GetProperty("preferredUsername").GetString());
    }

    [Fact]
    public void RefreshGivesANewAccessTokenAndIdTokenButNoNewRefreshTokenWithoutRotation()
    {
        var refresh = oidc.Result.GetProperty("refresh");

        Assert.True(refresh.GetProperty("accessTokenDiffers").GetBoolean());
        Assert.Equal($"{oidc.LoginUrl}/id/{OrgId}/{UserId}", refresh.GetProperty("idTokenSub").GetString());
        Assert.False(refresh.GetProperty("refreshTokenReturned").GetBoolean());
    }

    [Fact]
    public void RevokingTheRefreshTokenEndsItAndTheAccessTokensIssuedFromIt()
    {
        var revoke = oidc.Result.GetProperty("revoke");

        Assert.Equal("invalid_grant", revoke.GetProperty("refreshAfter").GetProperty("error").GetString());
        Assert.Equal(403, revoke.GetProperty("userInfoAfter").GetProperty("status").GetInt32());
    }

    [Fact]
    public void LogoutEndsTheLoginSessionAndReturnsToTheRegisteredUriWithState()
    {
        var logout = oidc.Result.GetProperty("logout");

        Assert.True(logout.GetProperty("silentBefore").GetProperty("code").GetBoolean());
        Assert.Equal(302, logout.GetProperty("status").GetInt32());
        Assert.Equal(OpenIdClientFixture.PostLogoutRedirectUri + "?state=bye", logout.GetProperty("location").GetString());
        Assert.False(logout.GetProperty("sessionCookie").GetBoolean());
        Assert.False(logout.GetProperty("silentAfter").GetProperty("code").GetBoolean());
        Assert.Equal("immediate_unsuccessful", logout.GetProperty("silentAfter").GetProperty("error").GetString());
    }

    [Fact]
    public void RegistrationWithoutAnInitialAccessTokenIsABearerChallenge()
    {
        var registration = oidc.Result.GetProperty("registration");

        Assert.Equal(401, registration.GetProperty("status").GetInt32());
        Assert.Equal("invalid_token", registration.GetProperty("challenge").GetProperty("error").GetString());
    }

    [Fact]
    public void EmulatorSawTheLibraryUseEveryAdvertisedEndpoint()
    {
        var calls = oidc.Requests.EnumerateArray()
            .Select(r => $"{r.GetProperty("method").GetString()} {r.GetProperty("path").GetString()} {r.GetProperty("grantType").GetString()}".TrimEnd())
            .Distinct()
            .ToList();

        Assert.Equal(
            [
                "GET /.well-known/openid-configuration",
                "GET /services/oauth2/authorize",
                "POST /services/oauth2/authorize",
                "POST /services/oauth2/token authorization_code",
                "GET /id/keys",
                "GET /services/oauth2/userinfo",
                "POST /services/oauth2/token refresh_token",
                "POST /services/oauth2/revoke",
                "GET /services/auth/idp/oidc/logout",
                "POST /services/oauth2/register",
            ],
            calls);
        Assert.DoesNotContain(oidc.Requests.EnumerateArray(), r => r.GetProperty("path").GetString()!.Contains("token=", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Array, oidc.Requests.ValueKind);
    }
}
