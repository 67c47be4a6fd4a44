using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace SalesforceIdentity.Tests;

/// <summary>
/// Every log line, exception and scope a host writes, at every level, through the framework's
/// <see cref="FakeLogCollector"/>: add <see cref="Provider"/> to the host's logging.
/// </summary>
public sealed class CapturedLogs : IDisposable
{
    private readonly FakeLogCollector _collector = new();

    public CapturedLogs() => Provider = new FakeLoggerProvider(_collector);

    public ILoggerProvider Provider { get; }

    /// <summary>Each record as <c>{level} {category}: {message} {exception}</c>, each scope as <c>{category} scope: {scope}</c>.</summary>
    public IReadOnlyList<string> Lines =>
    [
        .. _collector.GetSnapshot().SelectMany(record => record.Scopes
            .Select(scope => $"{record.Category} scope: {scope}")
            .Append($"{record.Level} {record.Category}: {record.Message} {record.Exception}")),
    ];

    public void Dispose() => Provider.Dispose();
}
