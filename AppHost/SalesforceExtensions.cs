using Microsoft.Extensions.Configuration;

namespace AppHost;

internal static class SalesforceExtensions
{
    /// <summary>The emulator's default connected app (contract: "Emulator defaults").</summary>
    private const string EmulatorClientId = "local-client-id";
    private const string EmulatorClientSecret = "local-client-secret";

    /// <summary>
    /// Connects the AuthService to Salesforce. With real connected-app parameters
    /// (<c>Parameters:salesforce-client-id</c>, <c>salesforce-allowed-org-ids</c> and the others, e.g. from user secrets) the emulator is not
    /// started; otherwise the SalesforceEmulator runs as <paramref name="name"/> and the AuthService uses it
    /// in local mode. Publish mode always describes the real connection: the emulator is a development tool.
    /// <c>Emulator:JwtAccessTokens=true</c> has the emulator's app issue JWT-based access tokens (issue 16).
    /// </summary>
    public static void AddSalesforce(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ProjectResource> authService)
    {
        if (builder.ExecutionContext.IsPublishMode || !string.IsNullOrWhiteSpace(builder.Configuration["Parameters:salesforce-client-id"]))
        {
            authService
                .WithEnvironment("Salesforce__LoginUrl", builder.AddParameter("salesforce-login-url", "https://login.salesforce.com", publishValueAsDefault: true))
                .WithEnvironment("Salesforce__ClientId", builder.AddParameter("salesforce-client-id"))
                .WithEnvironment("Salesforce__ClientSecret", builder.AddParameter("salesforce-client-secret", secret: true))
                .WithEnvironment("Salesforce__RedirectUri", builder.AddParameter("salesforce-redirect-uri"))
                // The AuthService runs in Production here, which refuses to start without the orgs whose tokens it accepts.
                .WithEnvironment("Salesforce__AllowedOrgIds", builder.AddParameter("salesforce-allowed-org-ids"));
            return;
        }

        // The callback registered in the emulator's app is the AuthService's own URL, whatever port it got.
        var callback = ReferenceExpression.Create($"{authService.GetEndpoint("http")}/oauth2/success");
        var emulator = builder.AddProject<Projects.SalesforceEmulator>(name)
            .WithEnvironment("Emulator__CallbackUrl", callback)
            // Refresh-token rotation, as Salesforce requires of ISV apps from 2026: the AuthService must cope with it.
            .WithEnvironment("Emulator__Apps__0__ClientId", EmulatorClientId)
            .WithEnvironment("Emulator__Apps__0__ClientSecret", EmulatorClientSecret)
            .WithEnvironment("Emulator__Apps__0__CallbackUrls__0", callback)
            .WithEnvironment("Emulator__Apps__0__RefreshTokenRotation", "true")
            .WithEnvironment("Emulator__TestHooks", "true")
            .WithServiceLogLevel()
            .WithHttpHealthCheck("/health")
            .WithEmulatorCommands();

        // Emulator:JwtAccessTokens=true: the app issues JWT-based access tokens, which the ResourceService checks in process.
        if (builder.Configuration.GetValue("Emulator:JwtAccessTokens", false))
        {
            emulator.WithEnvironment("Emulator__Apps__0__JwtAccessTokens", "true");
        }

        authService
            .WithEnvironment("Salesforce__LoginUrl", emulator.GetEndpoint("http"))
            .WithEnvironment("Salesforce__ClientId", EmulatorClientId)
            .WithEnvironment("Salesforce__ClientSecret", EmulatorClientSecret)
            .WithEnvironment("Salesforce__RedirectUri", callback)
            .WithEnvironment("SERVER_ENV", "local")
            .WaitFor(emulator);
    }

    /// <summary>
    /// The dashboard's buttons for what a developer tries by hand: a user's tokens expiring, Salesforce slow or down, and
    /// Salesforce rotating the keys of its JWT-based access tokens.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEmulatorCommands(this IResourceBuilder<ProjectResource> emulator) => emulator
        .WithHttpCommand("/_emulator/tokens/expire", "Expire demo user's tokens", commandName: ExpireDemoTokensCommand,
            commandOptions: new HttpCommandOptions
            {
                Description = $"Expires {EmulatorUsername}'s access tokens now: the next call with one gets 401 once the AuthService's cache lets go.",
                IconName = "KeyReset",
                PrepareRequest = context =>
                {
                    context.Request.Content = new FormUrlEncodedContent([KeyValuePair.Create("username", EmulatorUsername)]);
                    return Task.CompletedTask;
                },
                ResultMode = HttpCommandResultMode.Json,
            })
        .WithHttpCommand("/_emulator/faults", "Make Salesforce slow", commandName: SlowCommand,
            commandOptions: FaultCommand("Delays every call to Salesforce by 5 s: logins and uncached token checks run out of time and answer 503.", "Hourglass", """{"latencyMs":5000}"""))
        .WithHttpCommand("/_emulator/faults", "Make Salesforce fail", commandName: FailCommand,
            commandOptions: FaultCommand("Answers every call to Salesforce with 503: logins and uncached token checks fail closed with 503 and Retry-After.", "PlugDisconnected", """{"latencyMs":0,"statusCode":503}"""))
        .WithHttpCommand("/_emulator/faults", "Restore Salesforce", commandName: RestoreCommand,
            commandOptions: new HttpCommandOptions
            {
                Description = "Stops the injected delay or failure.",
                IconName = "PlugConnected",
                Method = HttpMethod.Delete,
            })
        .WithHttpCommand("/_emulator/jwt-keys/rotate", "Rotate JWT signing key", commandName: RotateJwtKeyCommand,
            commandOptions: new HttpCommandOptions
            {
                Description = "Gives every org a new key for JWT-based access tokens (new kid); the old key stays published at /id/keys for tokens still live.",
                IconName = "KeyMultiple",
                PrepareRequest = context =>
                {
                    context.Request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                    return Task.CompletedTask;
                },
                ResultMode = HttpCommandResultMode.Json,
            });

    public const string ExpireDemoTokensCommand = "expire-demo-tokens";
    public const string SlowCommand = "make-salesforce-slow";
    public const string FailCommand = "make-salesforce-fail";
    public const string RestoreCommand = "restore-salesforce";
    public const string RotateJwtKeyCommand = "rotate-jwt-signing-key";

    private const string EmulatorUsername = "demo@example.com";

    private static HttpCommandOptions FaultCommand(string description, string icon, string fault) => new()
    {
        Description = description,
        IconName = icon,
        PrepareRequest = context =>
        {
            context.Request.Content = new StringContent(fault, System.Text.Encoding.UTF8, "application/json");
            return Task.CompletedTask;
        },
    };
}
