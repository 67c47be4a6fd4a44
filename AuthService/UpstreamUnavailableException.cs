namespace AuthService;

/// <summary>
/// Salesforce or Redis gave no usable answer: unreachable, too slow, a 5xx or 429, a redirect, or a
/// body that is not what the protocol says. Answered as 503, never as 200 or an unhandled 500.
/// </summary>
public sealed class UpstreamUnavailableException(string upstream, string reason, Exception? inner = null)
    : Exception($"{upstream} gave no usable answer: {reason}", inner)
{
    /// <summary>What could not be reached, in words a caller can act on: "Salesforce" or "The state store".</summary>
    public string Upstream { get; } = upstream;
}
