using System.Net;

namespace SalesforceEmulator.Tests;

public sealed class DataApiTests
{
    [Fact]
    public async Task VersionListNeedsNoTokenAndEndsWithTheLatest()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/services/data/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var last = (await Salesforce.JsonAsync(response)).EnumerateArray().Last();
        Assert.Equal(["label", "url", "version"], Salesforce.Names(last));
        Assert.Equal($"/services/data/v{last.GetProperty("version").GetString()}", last.GetProperty("url").GetString());
    }

    [Fact]
    public async Task ResourceMapIncludesTheIdentityUrl()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = await Salesforce.PasswordTokenAsync(client);
        using var request = Salesforce.Bearer(HttpMethod.Get, "/services/data/v60.0/", token.GetProperty("access_token").GetString()!);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Salesforce.JsonAsync(response);
        Assert.Equal(token.GetProperty("id").GetString(), body.GetProperty("identity").GetString());
        Assert.Equal("/services/data/v60.0/sobjects", body.GetProperty("sobjects").GetString());
    }

    [Fact]
    public async Task UserSObjectIsReadableWithAValidToken()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = await Salesforce.PasswordTokenAsync(client);
        using var request = Salesforce.Bearer(HttpMethod.Get, "/services/data/v60.0/sobjects/User/0055g00000DEMOU", token.GetProperty("access_token").GetString()!);
        using var response = await client.SendAsync(request);

        var body = await Salesforce.JsonAsync(response);
        Assert.Equal("0055g00000DEMOUAA5", body.GetProperty("Id").GetString());
        Assert.Equal(Salesforce.Username, body.GetProperty("Username").GetString());
        Assert.Equal("User", body.GetProperty("attributes").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("/services/data/v60.0/")]
    [InlineData("/services/data/v60.0/sobjects/User/0055g00000DEMOUAA5")]
    public async Task BadTokenIs401InvalidSessionIdArray(string path)
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        using var request = Salesforce.Bearer(HttpMethod.Get, path, "00D5g000004ABCD!AQbogus");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ExpireHookTurnsDataApiCallsInto401()
    {
        using var factory = new EmulatorFactory();
        using var client = factory.CreateClient();
        var token = (await Salesforce.PasswordTokenAsync(client)).GetProperty("access_token").GetString()!;
        (await client.PostAsync("/_emulator/tokens/expire", Salesforce.Form(("username", Salesforce.Username)))).Dispose();
        using var request = Salesforce.Bearer(HttpMethod.Get, "/services/data/v60.0/", token);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
