using System.Net;

namespace ResourceService.Tests;

/// <summary>
/// Checklist B16: the demo's <c>instanceurl</c> header is only compared with the instance the AuthService
/// confirmed. It never becomes a target: every payload ends in 401, after one call, to the AuthService.
/// </summary>
public sealed class InstanceUrlTests
{
    private const string Token = "00D000000000001!AQ4AQFakeAccessToken.instance";

    /// <summary>"{canary}" stands for a live server that must never be called.</summary>
    public static TheoryData<string> Payloads =>
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:6379/",
        "https://localhost",
        "https://[::1]",
        "https://0x7f000001",
        "https://2130706433",
        "https://017700000001",
        "file:///etc/passwd",
        "/etc/passwd",
        "gopher://127.0.0.1:6379/_PING",
        "https://evil.com",
        "https://evil.com/.my.salesforce.com",
        "https://my.salesforce.com.evil.com",
        "https://foo.my.salesforce.com.evil.com",
        "https://foo.my.salesforce.com@evil.com",
        "https://foo.my.salesforce.com:@evil.com",
        "https://evil.com#.my.salesforce.com",
        "https://evil.com\\.my.salesforce.com",
        "https://evil.com?.my.salesforce.com",
        "https://FOO.MY.SALESFORCE.COM.",
        "https://foo.my.salesforce.com:8443",
        "http://foo.my.salesforce.com",
        "https://foo.my.salesforce.com/services/data/v62.0",
        "https://foo.my.salesforce.com/?next=https://evil.com",
        "https://foo.my.salesforce.com#x",
        "https://user:pass@foo.my.salesforce.com",
        "https://xn--fo-xbb.my.salesforce.com",
        "https://f\u03bfo.my.salesforce.com",
        "https://foo.my.sale\u0455force.com",
        "https%3A%2F%2Ffoo.my.salesforce.com",
        "https://foo%2Emy%2Esalesforce%2Ecom",
        "https://foo.my.salesforce.com%2F@evil.com",
        "https://foo.my.salesforce.com%252F@evil.com",
        "https://%65vil.com",
        "//evil.com",
        "javascript:alert(1)",
        "foo.my.salesforce.com",
        "",
        " ",
        "https://foo.my.salesforce.com/" + new string('a', 10 * 1024),
        "{canary}",
        "{canary}/oauth2/introspect",
    ];

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task InstanceUrlPayloadGets401AndNeverBecomesAnOutboundTarget(string payload)
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();
        var instanceUrl = payload.Replace("{canary}", host.Canary.Url.ToString().TrimEnd('/'), StringComparison.Ordinal);

        var context = await host.SendRawAsync("/secured", request =>
        {
            request.Headers.Authorization = "Bearer " + Token;
            request.Headers["instanceurl"] = instanceUrl;
        });

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        host.AssertOnlyAuthServiceCalled(1);
        Assert.Equal(["token"], host.AuthService.Requests.Single().Form.Keys);
    }

    [Theory]
    [InlineData("https://foo.my.salesforce.com")]
    [InlineData("https://foo.my.salesforce.com/")]
    [InlineData("https://FOO.My.Salesforce.com")]
    [InlineData("https://foo.my.salesforce.com:443")]
    public async Task InstanceUrlOfTheTokensOwnInstanceIsAccepted(string instanceUrl)
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();

        using var response = await host.GetAsync("/secured", headers: [("bearer", Token), ("instanceurl", instanceUrl)]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        host.AssertOnlyAuthServiceCalled(1);
    }

    [Fact]
    public async Task InstanceUrlIsRefusedWhenTheAuthServiceConfirmsNoInstance()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active(instanceUrl: null);

        using var response = await host.GetAsync("/secured", headers: [("bearer", Token), ("instanceurl", AuthServiceAnswers.InstanceUrl)]);

        await IntrospectionAnswerTests.AssertInvalidTokenAsync(response);
        host.AssertOnlyAuthServiceCalled(1);
    }

    [Fact]
    public async Task TokenOfAnotherGenuineOrgIsRefusedAndItsInstanceIsNeverAsked()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        // The other org's instance would vouch for its own token; only the AuthService is asked, and it says no.
        host.AuthService.Respond = AuthServiceAnswers.Inactive;

        using var response = await host.GetAsync("/secured", headers: [("bearer", Token), ("instanceurl", host.Canary.Url.ToString())]);

        await IntrospectionAnswerTests.AssertInvalidTokenAsync(response);
        host.AssertOnlyAuthServiceCalled(1);
    }

    [Fact]
    public async Task TwoInstanceUrlHeadersGet400AndNoCall()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Active();

        var context = await host.SendRawAsync("/secured", request =>
        {
            request.Headers["bearer"] = Token;
            request.Headers["instanceurl"] = new([AuthServiceAnswers.InstanceUrl, "https://evil.com"]);
        });

        Assert.Equal(400, context.Response.StatusCode);
        host.AssertOnlyAuthServiceCalled(0);
    }
}
