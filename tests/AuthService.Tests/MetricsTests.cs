using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AuthService.Tests;

[Collection(SharedRedis.Name)]
public sealed class MetricsTests(RedisServerFixture redis)
{
    [Fact]
    public async Task ValidationsCacheLookupsAndSalesforceLatencyAreMeasuredWhileTrafficRuns()
    {
        using var harness = new ValidatorHarness(redis.Redis);
        var meterFactory = harness.Services.GetRequiredService<IMeterFactory>();
        using var validations = new MetricCollector<long>(meterFactory, AuthMetrics.MeterName, "auth.token.validations");
        using var lookups = new MetricCollector<long>(meterFactory, AuthMetrics.MeterName, "auth.token.cache.lookups");
        using var salesforceDuration = new MetricCollector<double>(meterFactory, AuthMetrics.MeterName, "auth.salesforce.duration");
        var token = ValidatorHarness.NewToken();

        await harness.Validator.ValidateAsync(token, default);
        await harness.Validator.ValidateAsync(token, default);
        await harness.Validator.ValidateAsync("two words", default);
        harness.Introspection = () => FakeSalesforce.Json("{}", System.Net.HttpStatusCode.BadGateway);
        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => harness.Validator.ValidateAsync(ValidatorHarness.NewToken(), default));

        Assert.Equal(["active", "active", "malformed", "error"], validations.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!));
        Assert.Equal(["miss", "hit", "miss"], lookups.GetMeasurementSnapshot().Select(m => (string)m.Tags["result"]!));
        var calls = salesforceDuration.GetMeasurementSnapshot();
        Assert.Equal(["introspect", "userinfo", "introspect"], calls.Select(m => (string)m.Tags["operation"]!));
        Assert.Equal(["200", "200", "502"], calls.Select(m => (string)m.Tags["outcome"]!));
        Assert.All(calls, m => Assert.True(m.Value >= 0));
    }
}
