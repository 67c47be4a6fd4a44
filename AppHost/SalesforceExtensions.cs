namespace AppHost;

internal static class SalesforceExtensions
{
    /// <summary>The emulator's default connected app (contract: "Emulator defaults").</summary>
    private const string EmulatorClientId = "local-client-id";
    private const string EmulatorClientSecret = "local-client-secret";

    /// <summary>
    /// Connects the AuthService to Salesforce. With real connected-app parameters
    /// (<c>Parameters:salesforce-client-id</c> and the others, e.g. from user secrets) the emulator is not
    /// started; otherwise the SalesforceEmulator runs as <paramref name="name"/> and the AuthService uses it
    /// in local mode. Publish mode always describes the real connection: the emulator is a development tool.
    /// </summary>
    public static void AddSalesforce(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ProjectResource> authService)
    {
        if (builder.ExecutionContext.IsPublishMode || !string.IsNullOrWhiteSpace(builder.Configuration["Parameters:salesforce-client-id"]))
        {
            authService
                .WithEnvironment("Salesforce__LoginUrl", builder.AddParameter("salesforce-login-url", "https://login.salesforce.com", publishValueAsDefault: true))
                .WithEnvironment("Salesforce__ClientId", builder.AddParameter("salesforce-client-id"))
                .WithEnvironment("Salesforce__ClientSecret", builder.AddParameter("salesforce-client-secret", secret: true))
                .WithEnvironment("Salesforce__RedirectUri", builder.AddParameter("salesforce-redirect-uri"));
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
            .WithHttpHealthCheck("/health");

        authService
            .WithEnvironment("Salesforce__LoginUrl", emulator.GetEndpoint("http"))
            .WithEnvironment("Salesforce__ClientId", EmulatorClientId)
            .WithEnvironment("Salesforce__ClientSecret", EmulatorClientSecret)
            .WithEnvironment("Salesforce__RedirectUri", callback)
            .WithEnvironment("SERVER_ENV", "local")
            .WaitFor(emulator);
    }
}
