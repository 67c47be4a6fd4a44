using AppHost;
using AppHost.Cache;
using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);

// Redis: a container where a container runtime answers, else redis-server from the PATH, else embedded Garnet.
var cache = builder.AddCache("cache");

var internalApiKey = builder.AddParameter("internal-api-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

var authService = builder.AddProject<Projects.AuthService>("authservice")
    .WithReplicas(builder.Configuration.GetValue("AuthService:Replicas", 1))
    .WithReference(cache).WaitFor(cache)
    .WithEnvironment("INTERNAL_API_KEY", internalApiKey)
    .WithKeyRingCertificate()
    .WithServiceLogLevel()
    .WithHttpHealthCheck("/health");

// Salesforce: the emulator, unless real connected-app parameters are given.
builder.AddSalesforce("salesforce", authService);

// Redis carries the AuthService's revocations to every instance's in-process cache.
var resourceService = builder.AddProject<Projects.ResourceService>("resourceservice")
    .WithReplicas(builder.Configuration.GetValue("ResourceService:Replicas", 1))
    .WithReference(authService).WaitFor(authService)
    .WithReference(cache).WaitFor(cache)
    .WithEnvironment("INTERNAL_API_KEY", internalApiKey)
    .WithServiceLogLevel()
    .WithHttpHealthCheck("/health");

// Gateway mode: a sample API behind the ResourceService's /api/ routes (local runs only).
builder.AddSampleUpstream("sampleupstream", resourceService);

builder.Build().Run();
