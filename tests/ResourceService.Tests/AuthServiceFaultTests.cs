using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ResourceService.Tests;

/// <summary>Checklist E38, B17, B18: an AuthService that is down, slow or talking nonsense makes a 503, never a 200 or a 500.</summary>
public sealed class AuthServiceFaultTests
{
    private const string Token = "00D000000000001!AQ4AQFakeAccessToken.fault";

    public static TheoryData<string> Faults =>
    [
        "500", "502", "503", "404", "401 (our API key refused)", "400", "200 HTML", "200 empty", "200 active as a string",
        "200 active missing", "200 active null", "200 active without user_id", "200 JSON array", "200 truncated JSON",
        "200 invalid UTF-8", "200 text/plain", "50 MB announced", "50 MB chunked", "slow headers", "dripping body", "connection reset",
    ];

    /// <summary>
    /// Any answer, even a broken one, and any timeout: one call, then 503. Only a connection that dies before the
    /// answer is complete is asked once more (an instance that died may have a live sibling), and never more.
    /// </summary>
    [Theory]
    [MemberData(nameof(Faults))]
    public async Task FaultyAuthServiceGets503WithRetryAfterAfterOneCall(string fault)
    {
        await using var host = await ResourceServiceHost.StartAsync(fault is "slow headers" or "dripping body" ? TimeSpan.FromSeconds(1) : null);
        host.AuthService.Respond = Script(fault);

        using var response = await host.GetAsync("/secured", Token);

        await AssertUnavailableAsync(response);
        var calls = fault is "connection reset" ? 2 : 1;
        host.AssertOnlyAuthServiceCalled(calls);
        Assert.Equal(calls, host.AuthService.Requests.Count);
    }

    [Theory]
    [InlineData("before the answer")]
    [InlineData("in the middle of the body")]
    public async Task ConnectionThatDiesIsAskedOnceMoreAndTheSecondAnswerCounts(string when)
    {
        await using var host = await ResourceServiceHost.StartAsync();
        var calls = 0;
        host.AuthService.Respond = context => Interlocked.Increment(ref calls) == 1
            ? (when == "before the answer" ? AuthServiceAnswers.Abort : AuthServiceAnswers.AbortMidBody)(context)
            : AuthServiceAnswers.Active()(context);

        using var response = await host.GetAsync("/secured", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        host.AssertOnlyAuthServiceCalled(2);
    }

    [Fact]
    public async Task RedirectFromTheAuthServiceIsNotFollowed()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Redirect(new Uri(host.Canary.Url, "/oauth2/introspect"));

        using var response = await host.GetAsync("/secured", Token);

        await AssertUnavailableAsync(response);
        host.AssertOnlyAuthServiceCalled(1);
        Assert.Empty(host.Canary.Requests);
    }

    [Fact]
    public async Task AuthServiceDownGets503WithRetryAfterAfterOneRetry()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        await host.AuthService.StopAsync();

        using var response = await host.GetAsync("/secured", Token);

        await AssertUnavailableAsync(response);
        host.AssertOnlyAuthServiceCalled(2);
    }

    [Fact]
    public async Task RepeatedFailuresOpenTheBreakerAndLaterRequestsMakeNoCall()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        host.AuthService.Respond = AuthServiceAnswers.Status(HttpStatusCode.InternalServerError);
        for (var i = 0; i < 20; i++)
        {
            using var failing = await host.GetAsync("/secured", Token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        }

        Assert.Equal(20, host.AuthService.Requests.Count);
        host.AuthService.Respond = AuthServiceAnswers.Active();

        using var response = await host.GetAsync("/secured", Token);

        await AssertUnavailableAsync(response);
        Assert.Equal(20, host.AuthService.Requests.Count);
    }

    [Fact]
    public async Task PublicRouteStaysUpWhileTheAuthServiceIsDown()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        await host.AuthService.StopAsync();

        using var response = await host.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        host.AssertOnlyAuthServiceCalled(0);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 carries Retry-After in seconds");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("temporarily_unavailable", body.RootElement.GetProperty("error").GetString());
    }

    private static Func<HttpContext, Task> Script(string fault) => fault switch
    {
        "500" => AuthServiceAnswers.Status(HttpStatusCode.InternalServerError),
        "502" => AuthServiceAnswers.Status(HttpStatusCode.BadGateway),
        "503" => AuthServiceAnswers.Json("""{"error":"temporarily_unavailable"}""", HttpStatusCode.ServiceUnavailable),
        "404" => AuthServiceAnswers.Status(HttpStatusCode.NotFound),
        "401 (our API key refused)" => AuthServiceAnswers.Json("""{"error":"unauthorized"}""", HttpStatusCode.Unauthorized),
        "400" => AuthServiceAnswers.Json("""{"error":"invalid_request"}""", HttpStatusCode.BadRequest),
        "200 HTML" => AuthServiceAnswers.Bytes(Encoding.UTF8.GetBytes("<html><body>{\"active\":true}</body></html>"), "text/html"),
        "200 empty" => AuthServiceAnswers.Json(""),
        "200 active as a string" => AuthServiceAnswers.Json("""{"active":"true","user_id":"005000000000001AAA","organization_id":"00D000000000001EAA"}"""),
        "200 active missing" => AuthServiceAnswers.Json("""{"user_id":"005000000000001AAA","organization_id":"00D000000000001EAA"}"""),
        "200 active null" => AuthServiceAnswers.Json("""{"active":null,"user_id":"005000000000001AAA","organization_id":"00D000000000001EAA"}"""),
        "200 active without user_id" => AuthServiceAnswers.Json("""{"active":true}"""),
        "200 JSON array" => AuthServiceAnswers.Json("""[{"active":true}]"""),
        "200 truncated JSON" => AuthServiceAnswers.Json("""{"active":true,"user_id":"005000"""),
        "200 invalid UTF-8" => AuthServiceAnswers.Bytes([.. "{\"active\":true,\"user_id\":\"005"u8, 0xff, 0xfe, .. "\",\"organization_id\":\"00D\"}"u8], "application/json"),
        "200 text/plain" => AuthServiceAnswers.Bytes("active=true"u8.ToArray(), "text/plain"),
        "50 MB announced" => AuthServiceAnswers.Huge(announced: true),
        "50 MB chunked" => AuthServiceAnswers.Huge(announced: false),
        "slow headers" => AuthServiceAnswers.SlowHeaders,
        "dripping body" => AuthServiceAnswers.DrippingBody,
        "connection reset" => AuthServiceAnswers.Abort,
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "No such script."),
    };
}
