namespace SalesforceIdentity.Contract;

/// <summary>The body of <c>POST /oauth2/introspect</c>: the token, as a form (RFC 7662 §2.1).</summary>
public sealed class IntrospectionRequest
{
    /// <summary>The form field that carries the token.</summary>
    public const string TokenField = "token";

    /// <summary>The token to check.</summary>
    public required string Token { get; init; }

    /// <summary>The form body, <c>application/x-www-form-urlencoded</c>.</summary>
    public FormUrlEncodedContent ToContent() => new([KeyValuePair.Create(TokenField, Token)]);
}
