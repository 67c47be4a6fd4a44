using System.Net;

namespace EndToEnd.Tests;

/// <summary>The AppHost with <c>Cache:Mode=Garnet</c>: CI has redis-server, so the fallback would otherwise never run.</summary>
public sealed class GarnetAppFixture() : AspireAppFixture(["--Cache:Mode=Garnet"]);

[CollectionDefinition(Name)]
public sealed class SharedGarnetApp : ICollectionFixture<GarnetAppFixture>
{
    public const string Name = "Aspire app on Garnet";
}

[Collection(SharedGarnetApp.Name)]
public sealed class GarnetCacheTests(GarnetAppFixture fixture)
{
    [Fact]
    public async Task TokensAreValidatedAndCachedWithGarnetAsTheCache()
    {
        var model = fixture.App.Services.GetRequiredService<Aspire.Hosting.ApplicationModel.DistributedApplicationModel>();
        Assert.IsType<AppHost.Cache.GarnetResource>(model.Resources.Single(r => r.Name == "cache"));
        var token = await fixture.GetPasswordGrantTokenAsync();
        using var resource = fixture.CreateClient("resourceservice");

        var before = await fixture.CountEmulatorRequestsAsync(EmulatorPaths.UserInfo);
        using var first = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token));
        using var second = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(before + 1, await fixture.CountEmulatorRequestsAsync(EmulatorPaths.UserInfo));
    }
}
