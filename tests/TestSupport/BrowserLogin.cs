using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SalesforceIdentity.Tests;

/// <summary>Plays the browser through the web-server flow: the AuthService, the emulator's login page, the callback.</summary>
public static class BrowserLogin
{
    /// <summary>
    /// <c>/oauth2/authorize</c> at <paramref name="auth"/>, the emulator's login page and its form post as
    /// <see cref="EmulatorUser"/>. Returns the callback URL Salesforce redirected to (the configured REDIRECT_URI
    /// with <c>code</c> and <c>state</c>) and the state cookie the AuthService set, as a <c>Cookie</c> header value.
    /// </summary>
    public static async Task<(Uri Callback, string Cookie)> LogInThroughEmulatorAsync(HttpClient auth, HttpClient emulator)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(emulator);
        using var authorize = await auth.GetAsync(new Uri("/oauth2/authorize", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Found, authorize.StatusCode);
        var cookie = authorize.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        using var loginPage = await emulator.GetAsync(new Uri(authorize.Headers.Location!.PathAndQuery, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        var form = LoginForm.Parse(await loginPage.Content.ReadAsStringAsync());

        using var content = form.WithCredentials(EmulatorUser.Username, EmulatorUser.Password);
        using var loggedIn = await emulator.PostAsync(new Uri(emulator.BaseAddress!, form.Action), content);
        Assert.Equal(HttpStatusCode.Found, loggedIn.StatusCode);
        var callback = loggedIn.Headers.Location!;
        Assert.Equal("/oauth2/success", callback.AbsolutePath);
        return (callback, cookie);
    }

    /// <summary>Follows the callback with the browser's cookie and returns the code it answers.</summary>
    public static async Task<string> CallbackAsync(HttpClient auth, Uri callback, string cookie)
    {
        ArgumentNullException.ThrowIfNull(auth);
        using var request = new HttpRequestMessage(HttpMethod.Get, callback);
        request.Headers.Add("Cookie", cookie);
        using var response = await auth.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    /// <summary>The same callback delivered to another dyno: Heroku's router may send it to any of them.</summary>
    public static Uri To(this Uri callback, Uri dyno)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new(dyno, callback.PathAndQuery);
    }
}
