using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AuthService.Tests;

/// <summary>
/// Issue 14, item 5: the Data Protection keys in Redis are encrypted with the configured certificate, and every
/// instance that has the certificate reads them (a state cookie from one opens on another).
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class KeyRingTests(RedisServerFixture redis)
{
    [Fact]
    public async Task KeyRingInRedisHoldsOnlyEncryptedKeyMaterial()
    {
        // A fresh ring, so that only keys this deployed instance creates are looked at (the collection runs one test at a time).
        await redis.Redis.GetDatabase().KeyDeleteAsync(AuthDefaults.DataProtectionKeysRedisKey);
        using var host = new AuthServiceHost(redis, "Production", AuthServiceHost.DeployedSettings());
        using var client = host.CreateBareClient();

        await AuthServiceHost.AuthorizeAsync(client);

        var keys = await redis.Redis.GetDatabase().ListRangeAsync(AuthDefaults.DataProtectionKeysRedisKey);
        Assert.NotEmpty(keys);
        Assert.All(keys.Select(key => key.ToString()), xml =>
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task SecondInstanceWithTheSameCertificateReadsTheFirstsStateCookieAndOneWithoutItCannot()
    {
        await redis.Redis.GetDatabase().KeyDeleteAsync(AuthDefaults.DataProtectionKeysRedisKey);
        using var first = new AuthServiceHost(redis, "Production", AuthServiceHost.DeployedSettings());
        using var second = new AuthServiceHost(redis, "Production", AuthServiceHost.DeployedSettings());
        using var withoutCertificate = new AuthServiceHost(redis, "Development");
        using var firstClient = first.CreateBareClient();
        var opened = await AuthServiceHost.AuthorizeAsync(firstClient);
        var refused = await AuthServiceHost.AuthorizeAsync(firstClient);

        using var secondClient = second.CreateBareClient();
        using var onSecond = await secondClient.SendAsync(AuthServiceHost.Callback("aPrx-a-code", opened.State, opened.Cookie));
        using var otherClient = withoutCertificate.CreateBareClient();
        using var onOther = await otherClient.SendAsync(AuthServiceHost.Callback("aPrx-a-code", refused.State, refused.Cookie));

        Assert.True(onSecond.StatusCode == HttpStatusCode.OK, $"The second instance refused the first one's cookie: {await onSecond.Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.BadRequest, onOther.StatusCode);
        Assert.Equal("invalid_request", (await onOther.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task AfterACertificateRotationThePreviousCertificateStillOpensTheKeysItEncrypted()
    {
        await redis.Redis.GetDatabase().KeyDeleteAsync(AuthDefaults.DataProtectionKeysRedisKey);
        var oldCertificate = TestCertificate.New("CN=key ring before the rotation");
        var newCertificate = TestCertificate.New("CN=key ring after the rotation");
        using var before = new AuthServiceHost(redis, "Production", AuthServiceHost.DeployedSettings(oldCertificate));
        using var beforeClient = before.CreateBareClient();
        var opened = await AuthServiceHost.AuthorizeAsync(beforeClient);
        var refused = await AuthServiceHost.AuthorizeAsync(beforeClient);
        var ringBefore = await redis.Redis.GetDatabase().ListLengthAsync(AuthDefaults.DataProtectionKeysRedisKey);

        var rotatedSettings = new Dictionary<string, string?>(AuthServiceHost.DeployedSettings(newCertificate)) { ["DataProtection:PreviousCertificate"] = oldCertificate };
        using var rotated = new AuthServiceHost(redis, "Production", rotatedSettings);
        using var rotatedClient = rotated.CreateBareClient();
        using var onRotated = await rotatedClient.SendAsync(AuthServiceHost.Callback("aPrx-a-code", opened.State, opened.Cookie));
        // The rotated instance read the ring: it did not have to make a key of its own.
        var ringAfterRotated = await redis.Redis.GetDatabase().ListLengthAsync(AuthDefaults.DataProtectionKeysRedisKey);

        using var withoutPrevious = new AuthServiceHost(redis, "Production", AuthServiceHost.DeployedSettings(newCertificate));
        using var withoutPreviousClient = withoutPrevious.CreateBareClient();
        using var onWithoutPrevious = await withoutPreviousClient.SendAsync(AuthServiceHost.Callback("aPrx-a-code", refused.State, refused.Cookie));

        Assert.True(onRotated.StatusCode == HttpStatusCode.OK, $"The rotated instance refused a cookie of before the rotation: {await onRotated.Content.ReadAsStringAsync()}");
        Assert.Equal(ringBefore, ringAfterRotated);
        Assert.Equal(HttpStatusCode.BadRequest, onWithoutPrevious.StatusCode);
    }
}
