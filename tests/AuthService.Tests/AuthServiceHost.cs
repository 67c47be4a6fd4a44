using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthService.Salesforce;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Tests;

/// <summary>
/// The AuthService in process on the run's real Redis, in the environment a test names, with
/// <see cref="FakeSalesforce"/> as the primary handler of its Salesforce client (timeouts and breaker stay on).
/// </summary>
public sealed class AuthServiceHost(RedisServerFixture redis, string environment, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string OrgId = "00D5g000004ABCD";

    /// <summary>The settings every test host gets; the redirect URI names the host TestServer's requests carry.</summary>
    public static readonly IReadOnlyDictionary<string, string?> BaseSettings = new Dictionary<string, string?>
    {
        ["LOGIN_URL"] = "https://login.example.invalid",
        ["CLIENT_ID"] = "id",
        ["CLIENT_SECRET_ID"] = "secret",
        ["REDIRECT_URI"] = "http://localhost/oauth2/success",
        ["INTERNAL_API_KEY"] = "host-tests-internal-api-key",
    };

    /// <summary>What production requires on top: an org allow-list and the key ring's certificate.</summary>
    public static IReadOnlyDictionary<string, string?> DeployedSettings(string? certificate = null) => new Dictionary<string, string?>
    {
        ["Salesforce:AllowedOrgIds"] = OrgId,
        ["DataProtection:Certificate"] = certificate ?? TestCertificate.Base64Pfx,
    };

    public FakeSalesforce Salesforce { get; } = new();

    /// <summary>A client that keeps no cookie and follows no redirect: tests see and carry every hop themselves.</summary>
    public HttpClient CreateBareClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>
    /// <c>/oauth2/authorize</c> as a browser: the state cookie, the state and the PKCE challenge it sent to Salesforce.
    /// </summary>
    public static async Task<(string Cookie, string State, string Challenge)> AuthorizeAsync(HttpClient client)
    {
        using var authorize = await client.GetAsync(new Uri("/oauth2/authorize", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Found, authorize.StatusCode);
        var query = QueryHelpers.ParseQuery(authorize.Headers.Location!.Query);
        return (authorize.Headers.GetValues("Set-Cookie").Single().Split(';')[0], query["state"].ToString(), query["code_challenge"].ToString());
    }

    /// <summary>The callback as Salesforce's redirect brings the browser to it, with <paramref name="salesforceCode"/>.</summary>
    public static HttpRequestMessage Callback(string salesforceCode, string state, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/oauth2/success?code={Uri.EscapeDataString(salesforceCode)}&state={Uri.EscapeDataString(state)}");
        request.Headers.Add("Cookie", cookie);
        return request;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("ConnectionStrings:cache", redis.ConnectionString);
        foreach (var (key, value) in BaseSettings.Concat(settings ?? new Dictionary<string, string?>()))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddHttpClient<SalesforceClient>().ConfigurePrimaryHttpMessageHandler(() => Salesforce));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Salesforce.Dispose();
        }
    }
}

/// <summary>A self-signed RSA certificate for the key ring, as base64 PKCS#12: one per test run.</summary>
public static class TestCertificate
{
    private static readonly Lazy<string> Pfx = new(() => New("CN=AuthService tests key ring"));

    public static string Base64Pfx => Pfx.Value;

    public static string New(string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12));
    }
}
