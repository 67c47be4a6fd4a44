using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Deploy.Tests;

/// <summary>
/// deploy/heroku.sh cannot reach Heroku from here: its syntax is checked, and its dry run must print the
/// deploy the README describes, with secrets kept out of the output.
/// </summary>
public sealed partial class DeployScriptTests
{
    private const string Script = "deploy/heroku.sh";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ScriptIsValidBash()
    {
        var result = await Command.RunAsync("bash", ["-n", Script], Repository.Root, null, ScriptTimeout);

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public async Task HelpExplainsTheOptionsAndTheSecretsItReads()
    {
        var result = await Command.RunAsync("bash", [Script, "--help"], Repository.Root, null, ScriptTimeout);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--dry-run", result.Output, StringComparison.Ordinal);
        Assert.Contains("CLIENT_SECRET_ID", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRunBuildsAmd64DockerV2ImagesAndReleasesThemAsWebWithoutPrintingSecrets()
    {
        var (output, secrets) = await DryRunAsync();

        Assert.Contains("heroku apps:create acme-auth --stack container", output, StringComparison.Ordinal);
        Assert.Contains("heroku apps:create acme-resource --stack container", output, StringComparison.Ordinal);
        Assert.Contains("heroku addons:create heroku-redis:mini -a acme-auth --name acme-auth-redis --as REDIS", output, StringComparison.Ordinal);
        Assert.Contains("heroku addons:attach acme-auth-redis -a acme-resource --as REDIS", output, StringComparison.Ordinal);
        // Not Heroku's noeviction: a full Redis must evict cached validations, not refuse logins' writes.
        Assert.Contains("heroku redis:maxmemory acme-auth-redis --policy volatile-ttl -a acme-auth", output, StringComparison.Ordinal);
        foreach (var (dockerfile, app) in new[] { ("Dockerfile.auth", "acme-auth"), ("Dockerfile.resource", "acme-resource") })
        {
            var build = Assert.Single(output.Split('\n'), line => line.Contains($"-f {dockerfile}", StringComparison.Ordinal));
            Assert.Contains("--platform linux/amd64", build, StringComparison.Ordinal);
            Assert.Contains("--provenance=false", build, StringComparison.Ordinal);
            Assert.Contains("oci-mediatypes=false", build, StringComparison.Ordinal);
            Assert.Contains($"name=registry.heroku.com/{app}/web", build, StringComparison.Ordinal);
            Assert.Contains($"heroku container:release web -a {app}", output, StringComparison.Ordinal);
        }

        Assert.True(output.IndexOf("container:release web -a acme-auth", StringComparison.Ordinal)
            < output.IndexOf("container:release web -a acme-resource", StringComparison.Ordinal), "The AuthService is released first.");
        Assert.Contains("--password-stdin registry.heroku.com", output, StringComparison.Ordinal);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadmeDeploySectionNamesEveryConfigVarTheScriptSets()
    {
        var (output, _) = await DryRunAsync();
        var readme = await File.ReadAllTextAsync(Repository.PathTo("README.md"));
        var start = readme.IndexOf("## Deploy to Heroku", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Deploy to Heroku' section.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];

        var configVars = ConfigVar().Matches(string.Join('\n', output.Split('\n').Where(l => l.Contains("heroku config:set", StringComparison.Ordinal))))
            .Select(m => m.Groups["name"].Value).Distinct().ToList();

        Assert.Contains("REDIRECT_URI", configVars);
        Assert.Contains("AUTH_SERVICE_URL", configVars);
        Assert.All(configVars, name => Assert.Contains(name, section, StringComparison.Ordinal));
        Assert.Contains(Script, section, StringComparison.Ordinal);
        Assert.Contains("aspire-manifest.json", section, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRunRefusesToDeployWithoutAnOrgListUnlessAnyOrgIsAllowedOnPurpose()
    {
        var refused = await RunDryAsync([]);
        var anyOrg = await RunDryAsync(["--allow-any-org"]);
        var both = await RunDryAsync(["--allow-any-org", "--allowed-org-ids", "00D5g000004ABCD"]);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--allowed-org-ids", refused.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("container:release", refused.Output, StringComparison.Ordinal);
        Assert.True(anyOrg.ExitCode == 0, anyOrg.Output);
        Assert.Contains("Salesforce__AllowAnyOrg=true", anyOrg.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Salesforce__AllowedOrgIds=", anyOrg.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, both.ExitCode);
    }

    [Fact]
    public async Task DryRunSetsTheOrgListAndAGeneratedKeyRingCertificateWithoutPrintingIt()
    {
        var (output, _) = await DryRunAsync();

        var authConfig = Assert.Single(output.Split('\n'), line => line.Contains("heroku config:set -a acme-auth", StringComparison.Ordinal));
        Assert.Contains("Salesforce__AllowedOrgIds=00D5g000004ABCD", authConfig, StringComparison.Ordinal);
        Assert.Contains("Salesforce__AllowAnyOrg=false", authConfig, StringComparison.Ordinal);
        Assert.Contains("DataProtection__Certificate=<redacted>", authConfig, StringComparison.Ordinal);
        Assert.Contains("openssl req -x509 -newkey rsa:3072", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallbackOnACustomDomainKeepsTheAppsOwnHostAllowed()
    {
        var onCustomDomain = await RunDryAsync(["--allowed-org-ids", "00D5g000004ABCD", "--redirect-uri", "https://id.acme.example/oauth2/success"]);
        var (onAppDomain, _) = await DryRunAsync();

        Assert.True(onCustomDomain.ExitCode == 0, onCustomDomain.Output);
        Assert.Contains("AllowedHosts=acme-auth.herokuapp.com", onCustomDomain.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("AllowedHosts=", onAppDomain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRunWithAnUpstreamMakesTheResourceAppAGatewayToIt()
    {
        var gateway = await RunDryAsync(["--allowed-org-ids", "00D5g000004ABCD", "--upstream-url", "https://orders.acme.example"]);
        var (plain, _) = await DryRunAsync();
        var badUrl = await RunDryAsync(["--allowed-org-ids", "00D5g000004ABCD", "--upstream-url", "orders.acme.example"]);

        Assert.True(gateway.ExitCode == 0, gateway.Output);
        var resourceConfig = Assert.Single(gateway.Output.Split('\n'), line => line.Contains("heroku config:set -a acme-resource", StringComparison.Ordinal));
        Assert.Contains("ReverseProxy__Routes__upstream__ClusterId=upstream", resourceConfig, StringComparison.Ordinal);
        Assert.Contains("ReverseProxy__Clusters__upstream__Destinations__upstream__Address=https://orders.acme.example", resourceConfig, StringComparison.Ordinal);
        Assert.Contains("ReverseProxy__Routes__upstream__Match__Path=", resourceConfig, StringComparison.Ordinal);
        Assert.Contains("ReverseProxy__Clusters__upstream__HttpRequest__ActivityTimeout=00:00:25", resourceConfig, StringComparison.Ordinal);
        Assert.DoesNotContain("AuthorizationPolicy", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ReverseProxy__", plain, StringComparison.Ordinal);
        Assert.NotEqual(0, badUrl.ExitCode);
        Assert.Contains("--upstream-url", badUrl.Output, StringComparison.Ordinal);
    }

    private static async Task<(string Output, string[] Secrets)> DryRunAsync()
    {
        string[] secrets = [Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), Convert.ToHexString(RandomNumberGenerator.GetBytes(16))];
        var result = await RunDryAsync(["--allowed-org-ids", "00D5g000004ABCD"], secrets);
        Assert.True(result.ExitCode == 0, result.Output);
        return (result.Output, secrets);
    }

    private static async Task<CommandResult> RunDryAsync(string[] options, string[]? secrets = null)
    {
        secrets ??= ["a-consumer-secret", "an-internal-api-key"];
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["CLIENT_ID"] = "test-consumer-key",
            ["CLIENT_SECRET_ID"] = secrets[0],
            ["INTERNAL_API_KEY"] = secrets[1],
        };
        return await Command.RunAsync("bash", [Script, "--prefix", "acme", "--dry-run", .. options], Repository.Root, environment, ScriptTimeout);
    }

    [GeneratedRegex(@"\s(?<name>[A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex ConfigVar();
}
