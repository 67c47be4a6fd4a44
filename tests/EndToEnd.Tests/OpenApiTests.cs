using System.Net.Http.Json;
using System.Text.Json;

namespace EndToEnd.Tests;

[Collection(SharedAspireApp.Name)]
public sealed class OpenApiTests(AspireAppFixture fixture)
{
    [Fact]
    public async Task ResourceServiceDocumentListsEveryRouteOfTheContract()
    {
        var paths = (await GetResourceServiceDocumentAsync()).GetProperty("paths");

        foreach (var path in new[] { "/", "/secured", "/secured/me", "/secured/api" })
        {
            var operation = default(JsonElement);
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty("get", out operation), $"GET {path} is not documented");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"GET {path} has no summary");
        }
    }

    [Theory]
    [InlineData("/secured", new[] { "200", "400", "401", "503" })]
    [InlineData("/secured/me", new[] { "200", "400", "401", "503" })]
    [InlineData("/secured/api", new[] { "200", "400", "401", "403", "503" })]
    public async Task ResourceServiceDocumentGivesEachProtectedRouteItsErrorAnswersAndTheBearerScheme(string path, string[] statuses)
    {
        var document = await GetResourceServiceDocumentAsync();
        var operation = document.GetProperty("paths").GetProperty(path).GetProperty("get");
        var responses = operation.GetProperty("responses");

        Assert.Equal(statuses, responses.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
        foreach (var status in statuses.Where(s => s != "200"))
        {
            var schema = responses.GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema");
            Assert.Equal("#/components/schemas/OAuthError", schema.GetProperty("$ref").GetString());
        }

        Assert.True(responses.GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.True(responses.GetProperty("401").GetProperty("headers").TryGetProperty("WWW-Authenticate", out _));
        Assert.Equal("Bearer", operation.GetProperty("security")[0].EnumerateObject().Single().Name);
    }

    [Fact]
    public async Task ResourceServiceDocumentDescribesTheBearerSchemeAndTheErrorBody()
    {
        var components = (await GetResourceServiceDocumentAsync()).GetProperty("components");

        var bearer = components.GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        var error = components.GetProperty("schemas").GetProperty("OAuthError");
        Assert.Equal(["error", "error_description"], error.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PublicWelcomeNeedsNoToken()
    {
        var welcome = (await GetResourceServiceDocumentAsync()).GetProperty("paths").GetProperty("/").GetProperty("get");

        Assert.False(welcome.TryGetProperty("security", out _));
        Assert.False(welcome.GetProperty("responses").TryGetProperty("401", out _));
    }

    private async Task<JsonElement> GetResourceServiceDocumentAsync()
    {
        using var resource = fixture.CreateClient("resourceservice");
        return await resource.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
    }
}
