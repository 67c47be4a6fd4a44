using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SalesforceEmulator.Protocol;

namespace SalesforceEmulator.State;

/// <summary>
/// The emulator's browser login sessions: the login form starts one (cookie <see cref="CookieName"/>), an
/// <c>immediate=true</c> authorization uses it, and the OpenID Connect logout endpoint ends it. They last as long as the
/// org's session timeout (<see cref="EmulatorOptions.AccessTokenLifetime"/>).
/// </summary>
public sealed class LoginSessionStore(TimeProvider time, IOptions<EmulatorOptions> options)
{
    /// <summary>Salesforce's session cookie is named <c>sid</c> [unverified: commonly reported, not documented].</summary>
    public const string CookieName = "sid";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (User User, DateTimeOffset ExpiresAt)> _sessions = new(StringComparer.Ordinal);

    /// <summary>Starts a session for <paramref name="user"/> and returns its id, the cookie's value.</summary>
    public string Start(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = SigningKey.Base64Url(RandomNumberGenerator.GetBytes(32));
        lock (_lock)
        {
            _sessions[id] = (user, time.GetUtcNow() + options.Value.AccessTokenLifetime);
        }

        return id;
    }

    /// <summary>The session's user while the session lasts and the user and org are active; otherwise null.</summary>
    public User? Find(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        lock (_lock)
        {
            return _sessions.TryGetValue(id, out var session) && time.GetUtcNow() < session.ExpiresAt && session.User.Active && session.User.Org.Active
                ? session.User
                : null;
        }
    }

    /// <summary>Ends the session; false when there was none.</summary>
    public bool End(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return false;
        }

        lock (_lock)
        {
            return _sessions.Remove(id);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _sessions.Clear();
        }
    }
}
