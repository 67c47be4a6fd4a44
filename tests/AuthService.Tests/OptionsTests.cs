using SalesforceIdentity.Contract;
using SalesforceIdentity.Hosting;

namespace AuthService.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void MissingSettingsAreNamedOnePerLine()
    {
        var result = new SalesforceOptionsValidator().Validate(null, new SalesforceOptions { LoginUrl = new Uri("http://evil.example.com") });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Salesforce__LoginUrl (LOGIN_URL)", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Salesforce__ClientId (CLIENT_ID)", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Salesforce__ClientSecret (CLIENT_SECRET_ID)", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Salesforce__RedirectUri (REDIRECT_URI)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://login.salesforce.com")]
    [InlineData("https://test.salesforce.com")]
    [InlineData("https://acme.my.salesforce.com")]
    [InlineData("http://localhost:5100")]
    public void LoginHostsOfProductionSandboxMyDomainAndALocalEmulatorAreAccepted(string loginUrl)
    {
        var result = new SalesforceOptionsValidator().Validate(null, new SalesforceOptions
        {
            LoginUrl = new Uri(loginUrl),
            ClientId = "id",
            ClientSecret = "secret",
            RedirectUri = new Uri("https://auth.example.com/oauth2/success"),
        });

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("https://acme.my.salesforce.com", true)]
    [InlineData("https://acme.my.salesforce.com/, https://second.my.salesforce.com", true)]
    [InlineData("http://localhost:5100", true)]
    [InlineData("http://acme.my.salesforce.com", false)]
    [InlineData("https://acme.my.salesforce.com/services", false)]
    [InlineData("https://user@acme.my.salesforce.com", false)]
    [InlineData("acme.my.salesforce.com", false)]
    public void JwtIssuersMustBeMyDomainOrigins(string jwtIssuers, bool valid)
    {
        var result = new SalesforceOptionsValidator().Validate(null, new SalesforceOptions
        {
            ClientId = "id",
            ClientSecret = "secret",
            RedirectUri = new Uri("https://auth.example.com/oauth2/success"),
            JwtIssuers = jwtIssuers,
        });

        Assert.Equal(valid, result.Succeeded);
        Assert.Equal(!valid, result.Failures?.Any(f => f.StartsWith("Salesforce__JwtIssuers", StringComparison.Ordinal)) ?? false);
    }

    [Fact]
    public void AllowedOrgIdsMustBeOrgIds()
    {
        var result = new SalesforceOptionsValidator().Validate(null, new SalesforceOptions
        {
            ClientId = "id",
            ClientSecret = "secret",
            RedirectUri = new Uri("https://auth.example.com/oauth2/success"),
            AllowedOrgIds = "005000000000001",
        });

        Assert.Contains(result.Failures!, f => f.StartsWith("Salesforce__AllowedOrgIds", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true, null, false, false)]
    [InlineData(true, "00D5g000004ABCD", false, true)]
    [InlineData(true, null, true, true)]
    [InlineData(false, null, false, true)]
    public void DeployedNeedsAnOrgAllowListOrAllowAnyOrgOnPurpose(bool deployed, string? allowedOrgIds, bool allowAnyOrg, bool valid)
    {
        var options = new SalesforceOptions
        {
            ClientId = "id",
            ClientSecret = "secret",
            RedirectUri = new Uri("https://auth.example.com/oauth2/success"),
            AllowedOrgIds = allowedOrgIds,
            AllowAnyOrg = allowAnyOrg,
        };
        options.ApplyHostingDefaults(localMode: false, deployed);

        var result = new SalesforceOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        Assert.True(valid || result.Failures!.Single().StartsWith("Salesforce__AllowedOrgIds", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true, false, "DataProtection__Certificate must be set")]
    [InlineData(false, false, null)]
    [InlineData(true, true, null)]
    public void DeployedNeedsAKeyRingCertificate(bool deployed, bool withCertificate, string? failure)
    {
        var options = new KeyRingOptions { Deployed = deployed, Certificate = withCertificate ? TestCertificate.Base64Pfx : null };

        var result = new KeyRingOptionsValidator().Validate(null, options);

        Assert.Equal(failure is null, result.Succeeded);
        Assert.True(failure is null || result.FailureMessage!.StartsWith(failure, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("bm90IGEgY2VydGlmaWNhdGU=")]
    public void UnreadableCertificateIsRefusedEvenOutsideProduction(string certificate)
    {
        var result = new KeyRingOptionsValidator().Validate(null, new KeyRingOptions { Certificate = certificate });

        Assert.StartsWith("DataProtection__Certificate must be a base64 PKCS#12", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateWithAWrongPasswordIsRefused()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=t", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Convert.ToBase64String(certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "right"));

        Assert.True(new KeyRingOptionsValidator().Validate(null, new KeyRingOptions { Certificate = pfx, CertificatePassword = "right" }).Succeeded);
        Assert.True(new KeyRingOptionsValidator().Validate(null, new KeyRingOptions { Certificate = pfx, CertificatePassword = "wrong" }).Failed);
    }

    [Fact]
    public void PasswordFlowIsOnlyOnByDefaultInLocalMode()
    {
        var local = new SalesforceOptions();
        local.ApplyHostingDefaults(localMode: true, deployed: false);
        var production = new SalesforceOptions();
        production.ApplyHostingDefaults(localMode: false, deployed: true);

        Assert.True(local.PasswordFlowEnabled);
        Assert.False(production.PasswordFlowEnabled);
    }

    [Fact]
    public void ShortInternalApiKeyIsRefusedAndComparisonIsExact()
    {
        Assert.True(new InternalApiOptionsValidator().Validate(null, new InternalApiOptions { ApiKey = "short" }).Failed);
        var options = new InternalApiOptions { ApiKey = "0123456789abcdef0123" };
        Assert.True(options.Matches("0123456789abcdef0123"));
        Assert.False(options.Matches("0123456789abcdef0124"));
        Assert.False(options.Matches(null));
    }

    [Fact]
    public void DotEnvLinesBecomeSettings()
    {
        var values = DotEnv.Parse(["# comment", "", "CLIENT_ID=abc", "export LOGIN_URL=\"https://test.salesforce.com\"", "Salesforce__Scope='api id'", "broken line"]);

        Assert.Equal("abc", values["CLIENT_ID"]);
        Assert.Equal("https://test.salesforce.com", values["LOGIN_URL"]);
        Assert.Equal("api id", values["Salesforce:Scope"]);
        Assert.Equal(3, values.Count);
    }

    [Theory]
    [InlineData("redis://:p%40ss@redis.example.com:6380", "redis.example.com:6380", false, "p@ss")]
    [InlineData("rediss://user:secret@ec2.example.com:25061", "ec2.example.com:25061", true, "secret")]
    public void HerokuRedisUrlsBecomeRedisOptions(string url, string endpoint, bool ssl, string password)
    {
        var options = RedisUrl.Parse(url);

        Assert.Equal(endpoint, options.EndPoints.Single().ToString()!.Replace("Unspecified/", "", StringComparison.Ordinal));
        Assert.Equal(ssl, options.Ssl);
        Assert.Equal(password, options.Password);
    }
}
