using System.ComponentModel.DataAnnotations;

namespace AuthService;

/// <summary>How long validations are cached in Redis.</summary>
public sealed class TokenCacheOptions
{
    public const string SectionName = "TokenCache";

    /// <summary>Ceiling on how long an active token's validation is trusted without asking Salesforce again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an inactive answer is remembered, so a flood of bad tokens does not reach Salesforce.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan InactiveTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Margin kept before a token's expiry, for clock differences with Salesforce.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
