using System.Net.Http.Headers;
using System.Text;

namespace SalesforceEmulator.Protocol;

/// <summary>OAuth parameters of one request: the form body first, then the query string (Salesforce accepts both).</summary>
public sealed class OAuthRequest
{
    private readonly IFormCollection _form;
    private readonly IQueryCollection _query;

    private OAuthRequest(IFormCollection form, IQueryCollection query)
    {
        _form = form;
        _query = query;
    }

    public string? this[string name]
    {
        get
        {
            var value = _form[name].FirstOrDefault();
            return string.IsNullOrEmpty(value) ? NullIfEmpty(_query[name].FirstOrDefault()) : value;
        }
    }

    /// <summary>Reads the form body when there is one; null when the body is malformed.</summary>
    public static async Task<OAuthRequest?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        IFormCollection form = FormCollection.Empty;
        if (request.HasFormContentType)
        {
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }

        return new OAuthRequest(form, request.Query);
    }

    /// <summary>The client's id and secret, from an <c>Authorization: Basic</c> header or else the parameters.</summary>
    public ClientCredentials ReadClientCredentials(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bodyId = this["client_id"];
        var bodySecret = this["client_secret"];

        // private_key_jwt: the client id is the assertion's issuer when the body does not name it.
        if (this["client_assertion"] is { } assertion)
        {
            if (this["client_assertion_type"] != EmulatorDefaults.JwtClientAssertionType)
            {
                return new ClientCredentials(null, null, Malformed: true);
            }

            return new ClientCredentials(bodyId ?? JwtAssertion.Parse(assertion)?.Issuer, null, Malformed: false, assertion);
        }

        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            return new ClientCredentials(bodyId, bodySecret, Malformed: false);
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter ?? ""));
        }
        catch (FormatException)
        {
            return new ClientCredentials(null, null, Malformed: true);
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return new ClientCredentials(null, null, Malformed: true);
        }

        var id = Uri.UnescapeDataString(decoded[..colon]);
        var secret = Uri.UnescapeDataString(decoded[(colon + 1)..]);

        // Two different client ids in one request cannot be authenticated.
        return bodyId is not null && bodyId != id
            ? new ClientCredentials(null, null, Malformed: true)
            : new ClientCredentials(id, secret, Malformed: false);
    }

    /// <summary>True when the body is JSON, which Salesforce's token endpoint does not accept.</summary>
    public static bool HasJsonBody(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HasJsonContentType() || (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? false);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>
/// Client credentials as presented: a secret, or a signed <c>client_assertion</c>; <see cref="Malformed"/> when a Basic
/// header could not be read or the assertion type is wrong.
/// </summary>
public sealed record ClientCredentials(string? ClientId, string? ClientSecret, bool Malformed, string? ClientAssertion = null);
