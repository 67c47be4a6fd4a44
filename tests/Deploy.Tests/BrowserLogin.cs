using System.Net;
using System.Text.RegularExpressions;

namespace Deploy.Tests;

/// <summary>Plays a browser through the web-server flow: the AuthService's authorize, the emulator's login page and form.</summary>
public static partial class BrowserLogin
{
    /// <summary>
    /// Starts a login at <paramref name="auth"/> and logs in at the emulator. Returns the callback URL the
    /// emulator redirected to (the configured REDIRECT_URI with <c>code</c> and <c>state</c>) and the state
    /// cookie, as a <c>Cookie</c> header value.
    /// </summary>
    public static async Task<(Uri Callback, string Cookie)> StartAndLogInAsync(HttpClient auth, HttpClient emulator)
    {
        using var authorize = await auth.GetAsync(new Uri("/oauth2/authorize", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Found, authorize.StatusCode);
        var cookie = authorize.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        using var loginPage = await emulator.GetAsync(new Uri(authorize.Headers.Location!.PathAndQuery, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        var html = await loginPage.Content.ReadAsStringAsync();
        var action = FormAction().Match(html);
        Assert.True(action.Success, "The emulator's login page has no <form action>.");
        var fields = HiddenInput().Matches(html)
            .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))
            .Append(new("username", PublishedServicesFixture.EmulatorUsername))
            .Append(new("password", PublishedServicesFixture.EmulatorPassword));

        using var form = new FormUrlEncodedContent(fields);
        using var loggedIn = await emulator.PostAsync(new Uri(emulator.BaseAddress!, WebUtility.HtmlDecode(action.Groups["action"].Value)), form);
        Assert.Equal(HttpStatusCode.Found, loggedIn.StatusCode);
        return (loggedIn.Headers.Location!, cookie);
    }

    /// <summary>The same callback delivered to another dyno: Heroku's router may send it to any of them.</summary>
    public static Uri To(this Uri callback, Uri dyno) => new(dyno, callback.PathAndQuery);

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
