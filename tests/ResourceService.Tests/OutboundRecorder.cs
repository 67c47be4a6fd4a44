using System.Collections.Concurrent;

namespace ResourceService.Tests;

/// <summary>Every request any HttpClient of the ResourceService under test puts on the wire, in order (each retry too).</summary>
public sealed class OutboundLog
{
    private readonly ConcurrentQueue<Uri> _requests = new();

    public IReadOnlyList<Uri> Requests => [.. _requests];

    public void Add(Uri uri) => _requests.Enqueue(uri);
}

/// <summary>
/// Added to every client, innermost (after the client's own handlers, resilience included), so no outbound call
/// goes unseen and each attempt counts.
/// </summary>
public sealed class OutboundRecorder(OutboundLog log) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        log.Add(request.RequestUri!);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// Puts an <see cref="OutboundRecorder"/> last in every client's handler chain. A filter runs after all of a
/// client's configuration; <c>ConfigureHttpClientDefaults</c> would place it first, outside any retry.
/// </summary>
public sealed class InnermostRecorderFilter(OutboundLog log) : Microsoft.Extensions.Http.IHttpMessageHandlerBuilderFilter
{
    public Action<Microsoft.Extensions.Http.HttpMessageHandlerBuilder> Configure(Action<Microsoft.Extensions.Http.HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        builder.AdditionalHandlers.Add(new OutboundRecorder(log));
    };
}
