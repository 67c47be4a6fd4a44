namespace AuthService.Tokens;

/// <summary>Cheap checks that keep malformed tokens from ever reaching Redis or Salesforce.</summary>
public static class TokenFormat
{
    /// <summary>Printable ASCII without spaces, at most <see cref="AuthDefaults.MaxTokenLength"/> characters.</summary>
    public static bool IsWellFormed(string? token) =>
        TokenRules.IsWellFormed(token);
}
