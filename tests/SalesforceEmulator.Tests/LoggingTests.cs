using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SalesforceEmulator.Tests;

public sealed class LoggingTests
{
    [Fact]
    public async Task NoTokenCodeSecretOrPasswordReachesTheLogs()
    {
        var sink = new CapturingLoggerProvider();
        using var factory = new EmulatorFactory();
        using var configured = factory.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(sink))));
        using var browser = configured.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var code = await Salesforce.CodeAsync(browser, scope: "api refresh_token openid");
        using var exchange = await Salesforce.ExchangeCodeAsync(browser, code);
        var token = await Salesforce.JsonAsync(exchange);
        var access = token.GetProperty("access_token").GetString()!;
        var refresh = token.GetProperty("refresh_token").GetString()!;
        (await Salesforce.IntrospectAsync(browser, access)).Dispose();
        (await browser.GetAsync($"{token.GetProperty("id").GetString()}?oauth_token={Uri.EscapeDataString(access)}")).Dispose();
        (await RefreshTokenGrantTests.RefreshAsync(browser, refresh)).Dispose();
        (await Salesforce.PasswordGrantAsync(browser, password: "wrong-password")).Dispose();
        (await browser.PostAsync($"{Salesforce.TokenPath}?grant_type=password&client_id={Salesforce.ClientId}&client_secret={Salesforce.ClientSecret}&username=demo%40example.com&password={Salesforce.Password}", null)).Dispose();

        var lines = sink.Lines.ToArray();
        Assert.Contains(lines, l => l.Contains("Issued tokens", StringComparison.Ordinal));
        foreach (var secret in new[] { code, access, refresh, Salesforce.ClientSecret, Salesforce.Password, "wrong-password" })
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(Lines);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + exception);
        }
    }
}
