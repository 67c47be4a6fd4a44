using System.ComponentModel.DataAnnotations;

namespace ResourceService.Caching;

/// <summary>The in-process cache of confirmed tokens (section <c>LocalCache</c>).</summary>
public sealed class LocalCacheOptions
{
    public const string SectionName = "LocalCache";

    /// <summary>On by default; it works only while revocations can be heard (Redis configured and connected).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Longest time a confirmed token is trusted without asking the AuthService. Revocations through the
    /// AuthService arrive at once; this bounds only what is revoked at Salesforce behind our back.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1, 10_000_000)]
    public int MaxEntries { get; set; } = 100_000;
}
