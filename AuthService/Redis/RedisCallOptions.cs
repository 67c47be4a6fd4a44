using System.ComponentModel.DataAnnotations;

namespace AuthService;

/// <summary>The <c>Redis</c> section: how long any one Redis command may take before it counts as failed.</summary>
public sealed class RedisCallOptions
{
    public const string SectionName = "Redis";

    /// <summary>Bound on every Redis command; past it, a cache lookup is a miss and a login step a 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromMilliseconds(300);
}
