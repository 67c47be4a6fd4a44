using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Deploy.Tests;

/// <summary>
/// Behind Heroku's router (one hop, TLS ended there) the services trust X-Forwarded-For and -Proto from that
/// hop only, and never X-Forwarded-Host. The images turn this on with the framework's own switch,
/// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> (Dockerfile ENV and config var).
/// </summary>
[Collection(PublishedServices.Name)]
public sealed class ForwardedHeadersTests(PublishedServicesFixture fixture)
{
    [Fact]
    public async Task FrameworkSwitchTrustsOneHopOfForAndProtoButNeverHost()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The switch as the environment gives it: ASPNETCORE_FORWARDEDHEADERS_ENABLED becomes ForwardedHeaders_Enabled.
            Args = ["--ForwardedHeaders_Enabled=true", "--urls=http://127.0.0.1:0"],
            EnvironmentName = Environments.Production,
        });
        builder.AddServiceDefaults();
        // The in-process host would otherwise log into the test run's console.
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapGet("/echo", (HttpContext context) =>
            $"{context.Request.Scheme} {context.Request.Host} {context.Connection.RemoteIpAddress}");
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/echo");
            // A client prepends a spoofed address; the router appends the one it saw.
            request.Headers.Add("X-Forwarded-For", "1.2.3.4, 5.6.7.8");
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", "evil.com");
            using var response = await client.SendAsync(request);

            Assert.Equal(1, options.ForwardLimit);
            Assert.Equal(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, options.ForwardedHeaders);
            Assert.Equal($"https {address.Authority} 5.6.7.8", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task AuthServiceBehindTheRouterIssuesTheSecureHostPrefixedStateCookie()
    {
        using var auth = fixture.AuthService.CreateClient();
        using var viaRouter = new HttpRequestMessage(HttpMethod.Get, "/oauth2/authorize");
        viaRouter.Headers.Add("X-Forwarded-Proto", "https");
        viaRouter.Headers.Add("X-Forwarded-For", "203.0.113.7");

        using var routed = await auth.SendAsync(viaRouter);
        using var direct = await auth.GetAsync(new Uri("/oauth2/authorize", UriKind.Relative));

        var routedCookie = routed.Headers.GetValues("Set-Cookie").Single();
        Assert.Equal(HttpStatusCode.Found, routed.StatusCode);
        Assert.StartsWith("__Host-", routedCookie, StringComparison.Ordinal);
        Assert.Contains("; secure", routedCookie, StringComparison.OrdinalIgnoreCase);
        // Without the router's header the request really was plain http, and a Secure cookie would never come back.
        Assert.DoesNotContain("secure", direct.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
    }
}
