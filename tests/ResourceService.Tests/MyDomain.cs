using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ResourceService.Tests;

/// <summary>
/// A Salesforce org's My Domain as a resource server sees it, on real loopback HTTP: <c>/id/keys</c> publishes its RSA
/// keys (recorded, and scriptable to fail), and it signs JWT-based access tokens with Salesforce's header and claims
/// (salesforce-protocol.md §13), or with whatever a test changes in them: answers the emulator cannot give.
/// </summary>
public sealed class MyDomain : IAsyncDisposable
{
    public const string OrgId = "00D5g000004ABCDEA4";
    public const string UserId = "0055g00000DEMOUAA5";
    public const string ClientId = "local-client-id";

    private readonly List<(string Kid, RSA Key)> _keys = [];

    private MyDomain(FakeServer server, string orgId)
    {
        Server = server;
        Org = orgId;
        server.Respond = ServeKeysAsync;
    }

    public FakeServer Server { get; }

    /// <summary>The org whose tokens this host signs.</summary>
    public string Org { get; }

    /// <summary>The My Domain URL: a token's <c>iss</c> and <c>aud</c>.</summary>
    public string Issuer => Server.Url.GetLeftPart(UriPartial.Authority);

    /// <summary>When set, <c>/id/keys</c> answers this status instead of the keys.</summary>
    public HttpStatusCode? KeysFault { get; set; }

    public int KeyFetches => Server.Requests.Count(r => r.Path == "/id/keys");

    public string CurrentKid => _keys[^1].Kid;

    public static async Task<MyDomain> StartAsync(string orgId = OrgId)
    {
        var domain = new MyDomain(await FakeServer.StartAsync(), orgId);
        domain.AddKey();
        return domain;
    }

    /// <summary>A rotation: a new key signs from now on; the old ones stay published.</summary>
    public string AddKey()
    {
        var kid = $"CORE_ATJWT.{Org[..15]}.{_keys.Count + 1}";
        lock (_keys)
        {
            _keys.Add((kid, RSA.Create(2048)));
        }

        return kid;
    }

    /// <summary>
    /// A token as Salesforce issues it at <paramref name="issuedAt"/>, two hours long; <paramref name="header"/> and
    /// <paramref name="claims"/> change it (a null value removes the entry), <paramref name="signWith"/> signs with another key.
    /// </summary>
    public string Token(DateTimeOffset issuedAt, Action<Dictionary<string, object?>>? header = null, Action<Dictionary<string, object?>>? claims = null, RSA? signWith = null, string? kid = null, string? scope = "api id")
    {
        var iat = issuedAt.ToUnixTimeSeconds();
        var headerValues = new Dictionary<string, object?>
        {
            ["tnk"] = $"core/test/{Org}",
            ["ver"] = "1.0",
            ["kid"] = kid ?? CurrentKid,
            ["tty"] = "sfdc-core-token",
            ["typ"] = "JWT",
            ["alg"] = "RS256",
        };
        var claimValues = new Dictionary<string, object?>
        {
            ["scp"] = scope,
            ["aud"] = new[] { Issuer },
            ["sub"] = $"uid:{UserId}",
            ["nbf"] = iat - 15,
            ["mty"] = "oauth",
            ["iss"] = Issuer,
            ["exp"] = iat + 7200,
            ["iat"] = iat,
            ["client_id"] = ClientId,
        };
        header?.Invoke(headerValues);
        claims?.Invoke(claimValues);
        var input = $"{Encode(headerValues)}.{Encode(claimValues)}";
        var data = Encoding.ASCII.GetBytes(input);
        var signature = headerValues["alg"] switch
        {
            "none" => [],
            "HS256" => HMACSHA256.HashData(Encoding.ASCII.GetBytes(Jwks()), data),
            _ => (signWith ?? _keys[^1].Key).SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        };
        return $"{input}.{Base64Url(signature)}";
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        foreach (var (_, key) in _keys)
        {
            key.Dispose();
        }
    }

    private Task ServeKeysAsync(HttpContext context)
    {
        if (context.Request.Path != "/id/keys")
        {
            return AuthServiceAnswers.Status(HttpStatusCode.NotFound)(context);
        }

        return KeysFault is { } fault ? AuthServiceAnswers.Status(fault)(context) : AuthServiceAnswers.Json(Jwks())(context);
    }

    private string Jwks()
    {
        lock (_keys)
        {
            return JsonSerializer.Serialize(new
            {
                keys = _keys.Select(k =>
                {
                    var parameters = k.Key.ExportParameters(includePrivateParameters: false);
                    return new { kty = "RSA", e = Base64Url(parameters.Exponent!), use = "sig", kid = k.Kid, alg = "RS256", n = Base64Url(parameters.Modulus!) };
                }),
            });
        }
    }

    private static string Encode(Dictionary<string, object?> values) =>
        Base64Url(JsonSerializer.SerializeToUtf8Bytes(values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
