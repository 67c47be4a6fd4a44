using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace EndToEnd.Tests;

/// <summary>
/// Gateway mode (issue 17) in the real AppHost: the SampleUpstream behind the ResourceService's <c>/api/</c> routes,
/// configured by <c>ReverseProxy__...</c> environment variables as on Heroku.
/// </summary>
[Collection(SharedAspireApp.Name)]
public sealed class GatewayTests(AspireAppFixture fixture)
{
    [Fact]
    public async Task AValidTokensCallerReachesTheSampleUpstreamWithItsIdentityInTheSameTrace()
    {
        var token = await fixture.GetPasswordGrantTokenAsync();
        using var gateway = fixture.CreateClient("resourceservice");
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/hello?from=test");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        request.Headers.Add("X-Salesforce-User-Id", "005SPOOFED0000001");
        request.Headers.Add("x-salesforce-username", "admin@victim.example");

        using var response = await gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = echo.RootElement;
        Assert.Equal("/api/hello", root.GetProperty("path").GetString());
        Assert.Equal("?from=test", root.GetProperty("query").GetString());
        var caller = root.GetProperty("salesforce");
        Assert.StartsWith("005", caller.GetProperty("user_id").GetString(), StringComparison.Ordinal);
        Assert.NotEqual("005SPOOFED0000001", caller.GetProperty("user_id").GetString());
        Assert.StartsWith("00D", caller.GetProperty("org_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(EmulatorUser.Username, caller.GetProperty("username").GetString());
        Assert.Equal("", caller.GetProperty("scopes").GetString());
        Assert.False(root.GetProperty("authorization_forwarded").GetBoolean());
        Assert.Equal("http", root.GetProperty("forwarded").GetProperty("proto").GetString());
        // One trace across the hop: the upstream's request belongs to the trace the caller started.
        Assert.Equal(trace.ToString(), root.GetProperty("trace").GetProperty("trace_id").GetString());
    }

    [Fact]
    public async Task RequestsWithoutAValidTokenNeverReachTheSampleUpstream()
    {
        using var gateway = fixture.CreateClient("resourceservice");
        using var upstream = fixture.CreateClient("sampleupstream");
        var before = await CountAsync(upstream);

        using var noToken = await gateway.GetAsync(new Uri("/api/hello", UriKind.Relative));
        using var madeUp = new HttpRequestMessage(HttpMethod.Get, "/api/hello");
        madeUp.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "00D000000000000!made-up-" + Guid.NewGuid().ToString("N"));
        using var refused = await gateway.SendAsync(madeUp);

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(before, await CountAsync(upstream));
    }

    [Fact]
    public async Task TheScopedRouteRefusesAPasswordGrantTokenWhichHasNoScopes()
    {
        var token = await fixture.GetPasswordGrantTokenAsync();
        using var gateway = fixture.CreateClient("resourceservice");
        using var upstream = fixture.CreateClient("sampleupstream");
        var before = await CountAsync(upstream);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/scoped/report");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await CountAsync(upstream));
    }

    private static async Task<long> CountAsync(HttpClient upstream) =>
        (await upstream.GetFromJsonAsync<JsonElement>("/requests")).GetProperty("count").GetInt64();
}
