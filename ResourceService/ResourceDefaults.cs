namespace ResourceService;

/// <summary>Names used by the ResourceService's own routes: its scope policy.</summary>
public static class ResourceDefaults
{
    /// <summary>Salesforce's scope for REST API access, and the policy that requires it.</summary>
    public const string ApiScope = "api";

    public const string ApiScopePolicy = "api";
}
