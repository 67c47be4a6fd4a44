using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AuthService.Flow;
using Microsoft.AspNetCore.WebUtilities;
using StackExchange.Redis;

namespace AuthService.Tests;

/// <summary>
/// Issue 14, item 1: the callback answers a one-time handle standing for Salesforce's code and its PKCE verifier;
/// <c>/oauth2/token</c> redeems only such handles, once, and anything else never reaches Salesforce.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed partial class CodeHandleTests(RedisServerFixture redis) : IDisposable
{
    private const string TokenPath = "/services/oauth2/token";

    private readonly AuthServiceHost _host = new(redis, "Development");

    [Fact]
    public async Task CallbackAnswersAUrlSafe256BitHandleAndRedisHoldsNeitherItNorSalesforcesCode()
    {
        using var client = _host.CreateBareClient();
        var salesforceCode = NewSalesforceCode();

        var handle = await CallbackAsync(client, salesforceCode);

        Assert.NotEqual(salesforceCode, handle);
        Assert.Matches(UrlSafeHandle(), handle);
        var server = redis.Redis.GetServer(redis.Redis.GetEndPoints().Single());
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            Assert.DoesNotContain(handle, key.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(salesforceCode, key.ToString(), StringComparison.Ordinal);
            if (await redis.Redis.GetDatabase().KeyTypeAsync(key) == RedisType.String)
            {
                var value = Encoding.UTF8.GetString((byte[])(await redis.Redis.GetDatabase().StringGetAsync(key))!);
                Assert.DoesNotContain(salesforceCode, value, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task HandleIsExchangedOnceForSalesforcesCodeWithTheLoginsVerifier()
    {
        using var client = _host.CreateBareClient();
        var forms = new List<string>();
        _host.Salesforce.Answer = async request =>
        {
            forms.Add(await request.Content!.ReadAsStringAsync());
            return Tokens();
        };
        var salesforceCode = NewSalesforceCode();
        var (cookie, state, challenge) = await AuthServiceHost.AuthorizeAsync(client);
        using var callback = await client.SendAsync(AuthServiceHost.Callback(salesforceCode, state, cookie));
        var handle = (await callback.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

        using var first = await client.PostAsync(new Uri($"/oauth2/token?code={Uri.EscapeDataString(handle)}", UriKind.Relative), null);
        using var second = await client.PostAsync(new Uri("/oauth2/token", UriKind.Relative), new FormUrlEncodedContent([KeyValuePair.Create("code", handle)]));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var sent = QueryHelpers.ParseQuery(Assert.Single(forms));
        Assert.Equal(salesforceCode, sent["code"]);
        Assert.Equal(challenge, Pkce.ChallengeFor(sent["code_verifier"]!));
        await AssertInvalidGrantAsync(second);
        Assert.Single(_host.Salesforce.Requests);
    }

    [Fact]
    public async Task SalesforcesCodeFromTheCallbackUrlIsRefusedWithoutAskingSalesforce()
    {
        using var client = _host.CreateBareClient();
        AnswerTokens();
        var salesforceCode = NewSalesforceCode();
        await CallbackAsync(client, salesforceCode);

        // What browser history or a proxy log shows: the callback URL with Salesforce's code.
        using var exchange = await client.PostAsync(new Uri("/oauth2/token", UriKind.Relative), new FormUrlEncodedContent([KeyValuePair.Create("code", salesforceCode)]));

        await AssertInvalidGrantAsync(exchange);
        Assert.Equal(0, _host.Salesforce.CallsTo(TokenPath));
    }

    [Fact]
    public async Task CodeThatNeverCameThroughTheCallbackIsRefusedWithoutAskingSalesforce()
    {
        using var client = _host.CreateBareClient();
        AnswerTokens();

        using var exchange = await client.PostAsync(new Uri($"/oauth2/token?code={Uri.EscapeDataString(NewSalesforceCode())}", UriKind.Relative), null);

        await AssertInvalidGrantAsync(exchange);
        Assert.Equal(0, _host.Salesforce.CallsTo(TokenPath));
    }

    [Fact]
    public async Task HandleEntryCopiedUnderAnotherHandlesKeyDoesNotOpen()
    {
        using var client = _host.CreateBareClient();
        AnswerTokens();
        var victim = await CallbackAsync(client, NewSalesforceCode());
        var attacker = await CallbackAsync(client, NewSalesforceCode());
        var db = redis.Redis.GetDatabase();

        // Someone with write access to Redis puts the victim's entry under the key of a handle they hold.
        await db.StringSetAsync(RedisKeys.CodeHandle(attacker), await db.StringGetAsync(RedisKeys.CodeHandle(victim)));
        using var exchange = await client.PostAsync(new Uri("/oauth2/token", UriKind.Relative), new FormUrlEncodedContent([KeyValuePair.Create("code", attacker)]));

        await AssertInvalidGrantAsync(exchange);
        Assert.Equal(0, _host.Salesforce.CallsTo(TokenPath));
    }

    public void Dispose() => _host.Dispose();

    private static async Task<string> CallbackAsync(HttpClient client, string salesforceCode)
    {
        var (cookie, state, _) = await AuthServiceHost.AuthorizeAsync(client);
        using var callback = await client.SendAsync(AuthServiceHost.Callback(salesforceCode, state, cookie));
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        return (await callback.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    private void AnswerTokens() => _host.Salesforce.Answer = _ => Task.FromResult(Tokens());

    private static HttpResponseMessage Tokens() => FakeSalesforce.Json(
        $$"""{"access_token":"{{AuthServiceHost.OrgId}}!{{Guid.NewGuid():N}}","instance_url":"https://acme.my.salesforce.com","id":"https://login.example.invalid/id/00D5g000004ABCDEA4/0055g00000DEMOUAA5","token_type":"Bearer","issued_at":"1700000000000","scope":"api id"}""");

    private static async Task AssertInvalidGrantAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    /// <summary>Shaped like Salesforce's codes (salesforce-protocol.md §1): base64-ish with a prefix and padding.</summary>
    private static string NewSalesforceCode() => $"aPrx{Convert.ToBase64String(Guid.NewGuid().ToByteArray())}";

    [GeneratedRegex("^[A-Za-z0-9_-]{43,}$")]
    private static partial Regex UrlSafeHandle();
}
