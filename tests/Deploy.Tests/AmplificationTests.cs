using System.Net;
using System.Net.Http.Headers;

namespace Deploy.Tests;

/// <summary>
/// Issue 14 item 3, the whole way down, with the services as Heroku runs them and their default limits: one client
/// address (behind the router, the forwarded one) sending made-up tokens costs Salesforce a bounded number of calls and
/// then gets 429, while a token presented from another address is served.
/// </summary>
[Collection(PublishedServices.Name)]
public sealed class AmplificationTests(PublishedServicesFixture fixture)
{
    private const string Flooder = "203.0.113.66";
    private const string Bystander = "198.51.100.9";

    [Fact]
    public async Task TwoHundredMadeUpTokensFromOneAddressCostAtMostFiftySalesforceCallsWhileAnotherAddressIsServed()
    {
        using var auth = fixture.AuthService.CreateClient();
        var validToken = await HerokuRuntimeTests.LogInAsync(auth);
        using var resource = fixture.ResourceService.CreateClient();
        var before = await SalesforceValidationCallsAsync();

        var flood = await Task.WhenAll(Enumerable.Range(0, 200).Chunk(8).Select(async (chunk, _) =>
        {
            var statuses = new List<HttpResponseMessage>();
            foreach (var i in chunk)
            {
                statuses.Add(await resource.SendAsync(Secured($"00D5g000004ABCD!made.up.{i}.{Guid.NewGuid():N}", Flooder)));
            }

            return statuses;
        }));
        var floodCalls = await SalesforceValidationCallsAsync() - before;
        using var bystander = await resource.SendAsync(Secured(validToken, Bystander));

        var answers = flood.SelectMany(responses => responses).ToList();
        Assert.InRange(floodCalls, 1, 50);
        Assert.All(answers, answer => Assert.True(answer.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"answered {(int)answer.StatusCode}"));
        Assert.All(answers.Where(answer => answer.StatusCode == HttpStatusCode.TooManyRequests), answer => Assert.NotNull(answer.Headers.RetryAfter));
        Assert.True(answers.Count(answer => answer.StatusCode == HttpStatusCode.TooManyRequests) >= 150, "most of the flood is refused before any call");
        Assert.Equal(HttpStatusCode.OK, bystander.StatusCode);
        answers.ForEach(answer => answer.Dispose());
    }

    /// <summary>What the router sends: the caller's address appended to X-Forwarded-For.</summary>
    private static HttpRequestMessage Secured(string token, string clientAddress)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/secured", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Forwarded-For", clientAddress);
        request.Headers.Add("X-Forwarded-Proto", "https");
        return request;
    }

    /// <summary>Every call the AuthService makes to Salesforce about a token: introspection and UserInfo.</summary>
    private async Task<int> SalesforceValidationCallsAsync() =>
        await fixture.CountEmulatorRequestsAsync("/services/oauth2/introspect") + await fixture.CountEmulatorRequestsAsync("/services/oauth2/userinfo");
}
