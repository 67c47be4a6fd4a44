using System.Net;
using System.Text.RegularExpressions;

namespace SalesforceIdentity.Tests;

/// <summary>What a browser would submit from the emulator's login page: its action and hidden fields.</summary>
public sealed partial record LoginForm(string Action, IReadOnlyDictionary<string, string> HiddenFields)
{
    public static LoginForm Parse(string html)
    {
        var action = FormAction().Match(html);
        Assert.True(action.Success, "The login page has no <form action>.");
        var fields = HiddenInput().Matches(html).ToDictionary(
            m => WebUtility.HtmlDecode(m.Groups["name"].Value),
            m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        return new LoginForm(WebUtility.HtmlDecode(action.Groups["action"].Value), fields);
    }

    public FormUrlEncodedContent WithCredentials(string username, string password) =>
        new(HiddenFields.Append(new("username", username)).Append(new("password", password)));

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
