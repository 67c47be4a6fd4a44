namespace AuthService;

/// <summary>
/// Accepts the Node.js demo's Heroku config var names (<c>LOGIN_URL</c>, <c>CLIENT_ID</c>, ...) as aliases
/// of the .NET settings, so that the demo's users can switch without renaming their config vars.
/// </summary>
public static class SettingAliases
{
    /// <summary>Copies each alias's value to its .NET setting when the .NET setting itself is not set.</summary>
    public static TBuilder AddSettingAliases<TBuilder>(this TBuilder builder, params (string Alias, string Setting)[] aliases)
        where TBuilder : IHostApplicationBuilder
    {
        var values = new Dictionary<string, string?>();
        foreach (var (alias, setting) in aliases)
        {
            var value = builder.Configuration[alias];
            if (!string.IsNullOrEmpty(value) && string.IsNullOrEmpty(builder.Configuration[setting]))
            {
                values[setting] = value;
            }
        }

        if (values.Count > 0)
        {
            builder.Configuration.AddInMemoryCollection(values);
        }

        return builder;
    }
}
