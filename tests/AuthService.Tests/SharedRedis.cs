namespace AuthService.Tests;

[CollectionDefinition(Name)]
public sealed class SharedRedis : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "Redis";
}
