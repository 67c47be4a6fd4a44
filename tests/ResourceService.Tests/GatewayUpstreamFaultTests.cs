using System.Net;
using System.Text.Json;

namespace ResourceService.Tests;

/// <summary>
/// Gateway mode (issue 17): when the API behind the gateway fails, the caller reads what happened and what to do
/// in the product's <c>{"error","error_description"}</c> body; the upstream's own answers pass through untouched.
/// </summary>
public sealed class GatewayUpstreamFaultTests
{
    [Fact]
    public async Task UpstreamDownGets502WithTheErrorBody()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.Upstream.StopAsync();

        using var response = await host.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var (error, description) = await ErrorAsync(response);
        Assert.Equal("bad_gateway", error);
        Assert.False(string.IsNullOrWhiteSpace(description));
        Assert.Single(host.AuthService.Requests);
    }

    [Fact]
    public async Task UpstreamThatDoesNotAnswerInTimeGets504WithTheErrorBodyAndRetryAfter()
    {
        // The cluster's own YARP setting; the upstream stalls far longer than it.
        await using var host = await GatewayHost.StartAsync(settings => settings["ReverseProxy:Clusters:upstream:HttpRequest:ActivityTimeout"] = "00:00:01");
        host.Upstream.Respond = AuthServiceAnswers.SlowHeaders;

        using var response = await host.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("gateway_timeout", (await ErrorAsync(response)).Error);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Single(host.Upstream.Requests);
    }

    [Fact]
    public async Task UpstreamThatDropsTheConnectionBeforeAnsweringGets502()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Respond = AuthServiceAnswers.Abort;

        using var response = await host.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("bad_gateway", (await ErrorAsync(response)).Error);
    }

    [Fact]
    public async Task ABodyOverTheRoutesLimitGets413WithTheErrorBody()
    {
        await using var host = await GatewayHost.StartAsync(settings => settings["ReverseProxy:Routes:api:MaxRequestBodySize"] = "1000");

        // Kestrel refuses an announced length over the limit at the first read, before any byte is forwarded.
        var (status, body) = await host.SendRawAsync("POST", "/api/orders",
            [$"Authorization: Bearer {GatewayHost.Token}", "Content-Type: application/json", "Content-Length: 5000"], new string('x', 100));

        Assert.Equal(413, status);
        Assert.Contains("\"error\":\"invalid_request\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task TheUpstreamsOwnErrorAnswersPassThroughUnchanged(HttpStatusCode status)
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Respond = AuthServiceAnswers.Json("""{"upstream":"its own error"}""", status);

        using var response = await host.GetAsync("/api/orders");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("""{"upstream":"its own error"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AFailureIsLoggedAsAWarningNamingTheRoute()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.Upstream.StopAsync();

        using var response = await host.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains(host.Logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("Gateway route api: forwarding failed (Request), answered 502", StringComparison.Ordinal));
    }

    private static async Task<(string? Error, string? Description)> ErrorAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("error").GetString(), body.RootElement.GetProperty("error_description").GetString());
    }
}
