using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace SalesforceEmulator.Tests;

/// <summary>
/// One emulator in memory per test, on a fake clock, with optional extra settings. The test hooks are on
/// (they are off by default in the emulator) unless the settings say otherwise.
/// </summary>
public sealed class EmulatorFactory(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);

    /// <summary>Settings as given, without turning the test hooks on (to test the emulator's own default).</summary>
    public bool WithoutDefaultSettings { get; init; }

    /// <summary>The machine's clock instead of <see cref="Time"/>: for clients that check token times against their own clock.</summary>
    public bool SystemClock { get; init; }

    /// <summary>A client that does not follow redirects, as a browser's first leg is checked by hand.</summary>
    public HttpClient CreateBrowser(string baseAddress = "http://localhost") =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(baseAddress) });

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (!WithoutDefaultSettings)
        {
            builder.UseSetting("Emulator:TestHooks", "true");
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (!SystemClock)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
        }
    }
}
