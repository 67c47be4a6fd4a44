using AuthService.Tokens;

namespace AuthService.Tests;

public sealed class CacheEntryFormatTests
{
    private static readonly Uri LoginUrl = new("https://login.salesforce.com");

    public static TheoryData<string> Subjects => new()
    {
        "https://login.salesforce.com/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5",
        "https://test.salesforce.com/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5",
        "https://acme.my.site.com/partners/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5",
    };

    [Theory]
    [MemberData(nameof(Subjects))]
    public void AnActiveEntryReadsBackAsWritten(string subject)
    {
        var validation = new TokenValidation(true, subject, "0055g00000DEMOUAA5", "00D5g000004ABCDEA4", "u@example.com",
            "https://acme.my.salesforce.com", "api id refresh_token", "the-client-id", 1_900_000_000);
        var entry = new CachedValidation(validation, 1_800_000_300_000, 1_800_000_000_000);

        var read = CacheEntryFormat.Read(CacheEntryFormat.Write(entry, LoginUrl), LoginUrl, "the-client-id");

        Assert.Equal(entry, read);
    }

    [Theory]
    [InlineData("api id web full offline_access openid profile email address phone")]
    [InlineData("lightning refresh_token web openid api id")]
    [InlineData("api a_scope_of_tomorrow id")]
    [InlineData("")]
    public void ScopesReadBackInTheirOrderKnownOrNot(string scope)
    {
        var validation = new TokenValidation(true, "https://login.salesforce.com/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5",
            "0055g00000DEMOUAA5", "00D5g000004ABCDEA4", Scope: scope, ClientId: "id", ExpiresAt: 1_900_000_000);
        var entry = new CachedValidation(validation, 1_800_000_300_000, 1_800_000_000_000);

        Assert.Equal(scope, CacheEntryFormat.Read(CacheEntryFormat.Write(entry, LoginUrl), LoginUrl, "id")!.Validation.Scope);
    }

    [Fact]
    public void AnInactiveEntryReadsBackAsWritten()
    {
        var entry = new CachedValidation(TokenValidation.Inactive, 1_800_000_030_000, 1_800_000_000_000);

        Assert.Equal(entry, CacheEntryFormat.Read(CacheEntryFormat.Write(entry, LoginUrl), LoginUrl, "id"));
    }

    [Fact]
    public void ATypicalValidationTakesUnder150BytesSoRedisAccountsUnder300()
    {
        // Redis's MEMORY USAGE of a v1:tok key with a 155-byte value is 280 (redis-server 7, jemalloc). The scopes are
        // a connected app's usual wide set.
        var validation = new TokenValidation(true, "https://login.salesforce.com/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5",
            "0055g00000DEMOUAA5", "00D5g000004ABCDEA4", "demo.user@example.com", "https://acme-dev-ed.develop.my.salesforce.com",
            "api id web full refresh_token offline_access openid profile email address phone",
            "3MVG9A2kN3Bn17hueOTBLV6amupuqyVHycNQ43Q4pIHuDhYcP0gUA0zxwtLPCcnDlOKy0gopxQ4dA6BcNWLab", 1_900_000_000);

        var bytes = CacheEntryFormat.Write(new CachedValidation(validation, 1_800_000_300_000, 1_800_000_000_000), LoginUrl);

        Assert.InRange(bytes.Length + CacheSealLength, 1, 150);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { 2, 1, 0, 0 })]
    [InlineData(new byte[] { 1, 1, 5, 5, 9 })]
    public void BytesOfAnotherShapeReadAsNothing(byte[] bytes)
    {
        Assert.Null(CacheEntryFormat.Read(bytes, LoginUrl, "id"));
    }

    private const int CacheSealLength = CacheSeal.TagLength;
}
