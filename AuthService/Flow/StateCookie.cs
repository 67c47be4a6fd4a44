using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace AuthService.Flow;

/// <summary>
/// Binds a login's <c>state</c> to the browser that started it: the cookie holds the state, encrypted
/// and time-limited by Data Protection (keys in Redis, so every instance can read it).
/// </summary>
public sealed class StateCookie(IDataProtectionProvider dataProtection)
{
    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("AuthService.StateCookie.v1").ToTimeLimitedDataProtector();

    public void Issue(HttpContext context, string state) =>
        context.Response.Cookies.Append(
            CookieName(context.Request),
            _protector.Protect(state, AuthDefaults.StateLifetime),
            Options(context.Request, AuthDefaults.StateLifetime));

    /// <summary>True when the browser's cookie carries exactly <paramref name="state"/>.</summary>
    public bool Matches(HttpContext context, string state)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName(context.Request), out var protectedState) || protectedState is null)
        {
            return false;
        }

        try
        {
            var cookieState = _protector.Unprotect(protectedState);
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(cookieState), Encoding.UTF8.GetBytes(state));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Clear(HttpContext context) =>
        context.Response.Cookies.Delete(CookieName(context.Request), Options(context.Request, TimeSpan.Zero));

    private static string CookieName(HttpRequest request) =>
        request.IsHttps ? AuthDefaults.SecureStateCookie : AuthDefaults.LocalStateCookie;

    // Lax: the callback is a top-level GET navigation from Salesforce, which Lax cookies accompany.
    private static CookieOptions Options(HttpRequest request, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        Secure = request.IsHttps,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        MaxAge = lifetime,
        IsEssential = true,
    };
}
