using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using SalesforceIdentity.Contract;

namespace SalesforceIdentity.AspNetCore;

/// <summary>
/// A caller the AuthService confirmed: its answer, and the scheme's authentication result, built once and then
/// served for every request with the token while it is cached (no claims, principal or ticket per request). The
/// principal is shared between those requests and must not be changed.
/// </summary>
public sealed class ConfirmedCaller
{
    private readonly Func<string?, string?> _pool;
    private SchemeResult? _result;

    /// <summary>Wraps an active answer of the AuthService (or of another verifier).</summary>
    public ConfirmedCaller(IntrospectionResponse introspection)
        : this(introspection, value => value)
    {
    }

    internal ConfirmedCaller(IntrospectionResponse introspection, Func<string?, string?> pool)
    {
        ArgumentNullException.ThrowIfNull(introspection);
        Introspection = introspection;
        _pool = pool;
    }

    /// <summary>The AuthService's answer.</summary>
    public IntrospectionResponse Introspection { get; }

    /// <summary>A new principal with the caller's claims, named by <see cref="SalesforceClaimTypes.Username"/>.</summary>
    public ClaimsPrincipal CreatePrincipal(string authenticationType) =>
        new(new ClaimsIdentity(Claims(), authenticationType, SalesforceClaimTypes.Username, ClaimTypes.Role));

    /// <summary>The scheme's result as a completed task, the same instance for every request: nothing allocated per hit.</summary>
    internal bool TryGetResult(string scheme, out Task<AuthenticateResult> result)
    {
        var remembered = Volatile.Read(ref _result);
        result = remembered?.Result!;
        return remembered is not null && string.Equals(remembered.Scheme, scheme, StringComparison.Ordinal);
    }

    internal void Remember(string scheme, AuthenticateResult result) => Volatile.Write(ref _result, new SchemeResult(scheme, Task.FromResult(result)));

    private List<Claim> Claims()
    {
        var answer = Introspection;
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, answer.UserId!),
            new(SalesforceClaimTypes.UserId, answer.UserId!),
            new(SalesforceClaimTypes.OrganizationId, answer.OrganizationId!),
        };
        if (answer.Username is not null)
        {
            claims.Add(new Claim(SalesforceClaimTypes.Username, answer.Username));
        }

        if (answer.InstanceUrl is not null)
        {
            claims.Add(new Claim(SalesforceClaimTypes.InstanceUrl, answer.InstanceUrl));
        }

        foreach (var scope in (answer.Scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            claims.Add(new Claim(SalesforceClaimTypes.Scope, _pool(scope)!));
        }

        return claims;
    }

    private sealed record SchemeResult(string Scheme, Task<AuthenticateResult> Result);
}
