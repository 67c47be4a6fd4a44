using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace EndToEnd.Tests;

[Collection(SharedAspireApp.Name)]
public sealed class ProtectedRouteTests(AspireAppFixture fixture)
{
    [Fact]
    public async Task PasswordGrantTokenOpensSecured()
    {
        var token = await fixture.GetPasswordGrantTokenAsync();
        using var resource = fixture.CreateClient("resourceservice");

        using var response = await resource.SendAsync(Get("/secured", token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Accessing secured resource", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SecuredMeAnswersTheCallersSalesforceIdentity()
    {
        var token = await fixture.GetPasswordGrantTokenAsync();
        using var resource = fixture.CreateClient("resourceservice");

        using var response = await resource.SendAsync(Get("/secured/me", token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(EmulatorUser.Username, body.RootElement.GetProperty("username").GetString());
        Assert.StartsWith("005", body.RootElement.GetProperty("user_id").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("00D", body.RootElement.GetProperty("organization_id").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("http", body.RootElement.GetProperty("instance_url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoBearerHeaderIsAcceptedToo()
    {
        var token = await fixture.GetPasswordGrantTokenAsync();
        using var resource = fixture.CreateClient("resourceservice");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/secured");
        request.Headers.Add("bearer", token);

        using var response = await resource.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NoTokenGets401BearerChallengeWithoutErrorAndNoValidationCall()
    {
        var introspectionsBefore = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Introspect);
        using var resource = fixture.CreateClient("resourceservice");

        using var response = await resource.GetAsync("/secured");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("realm=", challenge.Parameter, StringComparison.Ordinal);
        Assert.DoesNotContain("error=", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal(introspectionsBefore, await fixture.CountEmulatorRequestsAsync(EmulatorPaths.Introspect));
    }

    [Fact]
    public async Task MadeUpTokenGets401InvalidToken()
    {
        using var resource = fixture.CreateClient("resourceservice");

        using var response = await resource.SendAsync(Get("/secured", "00D000000000000!made-up-token-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_token", body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task SecondCallWithSameTokenMakesNoNewValidationCallToSalesforce()
    {
        var token = await fixture.GetPasswordGrantTokenAsync();
        using var resource = fixture.CreateClient("resourceservice");

        var beforeFirst = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.UserInfo);
        using (var first = await resource.SendAsync(Get("/secured", token)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var afterFirst = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.UserInfo);
        using (var second = await resource.SendAsync(Get("/secured", token)))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        // A password-grant token is checked through UserInfo (Salesforce does not introspect Session IDs).
        Assert.Equal(beforeFirst + 1, afterFirst);
        Assert.Equal(afterFirst, await fixture.CountEmulatorRequestsAsync(EmulatorPaths.UserInfo));
    }

    [Fact]
    public async Task IntrospectRefusesCallersWithoutTheInternalApiKey()
    {
        var token = await fixture.GetPasswordGrantTokenAsync();
        using var auth = fixture.CreateClient("authservice");
        var key = await fixture.GetInternalApiKeyAsync();
        var wrongKeySameLength = new string(key.Select(c => c == 'a' ? 'b' : 'a').ToArray());

        using var withoutKey = await auth.PostAsync("/oauth2/introspect", Form(("token", token)));
        using var wrongKey = new HttpRequestMessage(HttpMethod.Post, "/oauth2/introspect") { Content = Form(("token", token)) };
        wrongKey.Headers.Add("X-Internal-Api-Key", wrongKeySameLength);
        using var withWrongKey = await auth.SendAsync(wrongKey);
        using var rightKey = new HttpRequestMessage(HttpMethod.Post, "/oauth2/introspect") { Content = Form(("token", token)) };
        rightKey.Headers.Add("X-Internal-Api-Key", key);
        using var withRightKey = await auth.SendAsync(rightKey);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withWrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withRightKey.StatusCode);
        var answer = await withRightKey.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.GetProperty("active").GetBoolean());
        Assert.Equal(EmulatorUser.Username, answer.GetProperty("username").GetString());
    }

    internal static HttpRequestMessage Get(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    internal static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
}
