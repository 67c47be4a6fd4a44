using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Apis;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace AuthService.Salesforce;

/// <summary>
/// The AuthService's only door to Salesforce. Every call goes to the configured login host, never to a
/// host taken from a request or a response. Faults become <see cref="UpstreamUnavailableException"/>.
/// </summary>
public sealed partial class SalesforceClient(HttpClient http, IOptions<SalesforceOptions> options, AuthMetrics metrics, ILogger<SalesforceClient> logger)
{
    private const string Upstream = "Salesforce";

    private SalesforceOptions Options => options.Value;

    public Task<TokenResponse> ExchangeCodeAsync(string code, string? codeVerifier, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = Options.RedirectUri!.ToString(),
        };
        if (codeVerifier is not null)
        {
            form["code_verifier"] = codeVerifier;
        }

        return RequestTokenAsync(form, cancellationToken);
    }

    public Task<TokenResponse> PasswordAsync(string username, string password, CancellationToken cancellationToken) =>
        RequestTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = username,
            ["password"] = password,
        }, cancellationToken);

    public Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        RequestTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        }, cancellationToken);

    /// <summary>Revokes at Salesforce. An unknown or already revoked token is not an error (RFC 7009 §2.2).</summary>
    public async Task RevokeAsync(string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint("/services/oauth2/revoke"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }),
        };
        using var response = await SendAsync(request, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.BadRequest))
        {
            throw Fault($"revoke answered {(int)response.StatusCode}");
        }
    }

    /// <summary>RFC 7662 introspection with the connected app's credentials. Anything but a well-formed answer is a fault.</summary>
    public async Task<Introspection> IntrospectAsync(string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint("/services/oauth2/introspect"))
        {
            Content = new FormUrlEncodedContent(WithClientCredentials(new Dictionary<string, string>
            {
                ["token"] = token,
                ["token_type_hint"] = "access_token",
            })),
        };
        using var response = await SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            // 401/400 here means our own client credentials were refused: a configuration fault, not a bad token.
            throw Fault($"introspect answered {(int)response.StatusCode}");
        }

        var body = await ReadJsonObjectAsync(response, cancellationToken);
        // Only a JSON true counts; "true" as a string, a missing member or null is garbage (fail closed).
        return body["active"]?.GetValueKind() switch
        {
            JsonValueKind.False => Introspection.Inactive,
            JsonValueKind.True => new Introspection(
                Active: true,
                TokenType: StringOf(body, "token_type"),
                ClientId: StringOf(body, "client_id"),
                Username: StringOf(body, "username"),
                Subject: StringOf(body, "sub"),
                Scope: StringOf(body, "scope"),
                ExpiresAt: NumberOf(body, "exp")),
            _ => throw Fault("introspect answered without a boolean 'active'"),
        };
    }

    /// <summary>Reads the login host's OpenID discovery document: proof that Salesforce answers, for readiness.</summary>
    public async Task DiscoverAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint("/.well-known/openid-configuration"));
        using var response = await SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw Fault($"discovery answered {(int)response.StatusCode}");
        }

        await ReadJsonObjectAsync(response, cancellationToken);
    }

    /// <summary>
    /// The OpenID userinfo of the configured host for <paramref name="token"/>: who it belongs to and the
    /// instance it works on. Null when Salesforce refuses the token there (dead, or lacking the <c>id</c> scope).
    /// It proves the token is live, not which connected app it was issued to.
    /// </summary>
    public async Task<UserInfo?> GetUserInfoAsync(string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint("/services/oauth2/userinfo"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await SendAsync(request, cancellationToken);
        // https://help.salesforce.com/HTViewHelpDoc?id=remoteaccess_using_userinfo_endpoint.htm; a dead token gets
        // 403 Bad_OAuth_Token in plain text (salesforce-protocol.md §4), and some paths answer 401.
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return null;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw Fault($"userinfo answered {(int)response.StatusCode}");
        }

        var body = await ReadJsonObjectAsync(response, cancellationToken);
        var urls = body["urls"] as JsonObject;
        var candidate = urls is null ? null : StringOf(urls, "custom_domain") ?? StringOf(urls, "rest");
        var instanceUrl = Uri.TryCreate(candidate, UriKind.Absolute, out var url) && url.Scheme is "https" or "http"
            ? new Uri(url.GetLeftPart(UriPartial.Authority))
            : null;
        return new UserInfo(
            UserId: StringOf(body, "user_id"),
            OrganizationId: StringOf(body, "organization_id"),
            Username: StringOf(body, "preferred_username"),
            // Absent means active: only an explicit false says the user was deactivated.
            Active: body["active"]?.GetValueKind() != JsonValueKind.False,
            InstanceUrl: instanceUrl);
    }

    private async Task<TokenResponse> RequestTokenAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint("/services/oauth2/token"))
        {
            Content = new FormUrlEncodedContent(WithClientCredentials(form)),
        };
        using var response = await SendAsync(request, cancellationToken);
        var body = await ReadJsonObjectAsync(response, cancellationToken);

        if (response.StatusCode != HttpStatusCode.OK)
        {
            if ((int)response.StatusCode is >= 400 and < 500 && StringOf(body, "error") is { } error)
            {
                return TokenResponse.Failed(new OAuthError(Errors.SafeCode(error), Errors.SafeText(StringOf(body, "error_description") ?? "Salesforce refused the request.")));
            }

            throw Fault($"token endpoint answered {(int)response.StatusCode}");
        }

        if (StringOf(body, "access_token") is null || StringOf(body, "instance_url") is null)
        {
            throw Fault("token answer without access_token or instance_url");
        }

        if (!SignatureIsValid(body))
        {
            throw Fault("token answer with a signature that does not match");
        }

        return TokenResponse.Succeeded(body);
    }

    /// <summary>
    /// Salesforce signs <c>id + issued_at</c> with the consumer secret (HMAC-SHA256, Base64). A mismatch
    /// means the answer did not come from Salesforce for this app. An absent signature (JWT bearer) passes.
    /// </summary>
    private bool SignatureIsValid(JsonObject body)
    {
        if (StringOf(body, "signature") is not { } signature)
        {
            return true;
        }

        var message = $"{StringOf(body, "id")}{StringOf(body, "issued_at")}";
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Options.ClientSecret), Encoding.UTF8.GetBytes(message));
        Span<byte> actual = stackalloc byte[64];
        return Convert.TryFromBase64String(signature, actual, out var written)
            && CryptographicOperations.FixedTimeEquals(expected, actual[..written]);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        var operation = request.RequestUri!.AbsolutePath[(request.RequestUri.AbsolutePath.LastIndexOf('/') + 1)..];
        var started = Stopwatch.GetTimestamp();
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            metrics.SalesforceCall(operation, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            metrics.SalesforceCall(operation, ex.GetType().Name, Stopwatch.GetElapsedTime(started));
            throw Fault(ex.GetType().Name, ex);
        }

        if ((int)response.StatusCode is >= 300 and < 400 or >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw Fault($"answered {status}");
        }

        return response;
    }

    private async Task<JsonObject> ReadJsonObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return JsonNode.Parse(bytes) as JsonObject ?? throw Fault("answered JSON that is not an object");
        }
        catch (JsonException ex)
        {
            throw Fault("answered something that is not JSON", ex);
        }
    }

    private Dictionary<string, string> WithClientCredentials(Dictionary<string, string> form)
    {
        form["client_id"] = Options.ClientId;
        form["client_secret"] = Options.ClientSecret;
        return form;
    }

    // Concatenated, not resolved: an Experience Cloud login URL has a path prefix that must be kept.
    private Uri Endpoint(string path) => new($"{Options.LoginUrl.ToString().TrimEnd('/')}{path}");

    private UpstreamUnavailableException Fault(string reason, Exception? inner = null)
    {
        LogFault(logger, reason);
        return new UpstreamUnavailableException(Upstream, reason, inner);
    }

    private static string? StringOf(JsonObject body, string name) =>
        body[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static long? NumberOf(JsonObject body, string name) =>
        body[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number) ? number : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Salesforce call failed: {Reason}")]
    private static partial void LogFault(ILogger logger, string reason);
}

/// <summary>What Salesforce's introspection said, before our own rules are applied.</summary>
public sealed record Introspection(bool Active, string? TokenType, string? ClientId, string? Username, string? Subject, string? Scope, long? ExpiresAt)
{
    public static readonly Introspection Inactive = new(false, null, null, null, null, null, null);
}

/// <summary>What Salesforce's userinfo said of a live token.</summary>
public sealed record UserInfo(string? UserId, string? OrganizationId, string? Username, bool Active, Uri? InstanceUrl);

/// <summary>A token answer as Salesforce gave it (passed through field by field), or its OAuth error.</summary>
public sealed record TokenResponse(JsonObject? Token, OAuthError? Error)
{
    public static TokenResponse Succeeded(JsonObject token) => new(token, null);

    public static TokenResponse Failed(OAuthError error) => new(null, error);
}
