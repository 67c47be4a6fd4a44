namespace AuthService.Tokens;

/// <summary>The AuthService's verdict on a token, as cached and as answered to the ResourceService.</summary>
public sealed record TokenValidation(
    bool Active,
    string? Subject = null,
    string? UserId = null,
    string? OrganizationId = null,
    string? Username = null,
    string? InstanceUrl = null,
    string? Scope = null,
    string? ClientId = null,
    long? ExpiresAt = null)
{
    public static readonly TokenValidation Inactive = new(false);
}
