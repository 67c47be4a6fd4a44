using AppHost;
using AppHost.Cache;

var builder = DistributedApplication.CreateBuilder(args);

// Redis: a container where a container runtime answers, else redis-server from the PATH, else embedded Garnet.
var cache = builder.AddCache("cache");

var internalApiKey = builder.AddParameter("internal-api-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

var authService = builder.AddProject<Projects.AuthService>("authservice")
    .WithReference(cache).WaitFor(cache)
    .WithEnvironment("INTERNAL_API_KEY", internalApiKey)
    .WithServiceLogLevel()
    .WithHttpHealthCheck("/health");

// Salesforce: the emulator, unless real connected-app parameters are given.
builder.AddSalesforce("salesforce", authService);

builder.AddProject<Projects.ResourceService>("resourceservice")
    .WithReference(authService).WaitFor(authService)
    .WithEnvironment("INTERNAL_API_KEY", internalApiKey)
    .WithServiceLogLevel()
    .WithHttpHealthCheck("/health");

builder.Build().Run();
