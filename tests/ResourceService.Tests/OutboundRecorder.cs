using System.Collections.Concurrent;

namespace ResourceService.Tests;

/// <summary>Every request any HttpClient of the ResourceService under test starts, in order.</summary>
public sealed class OutboundLog
{
    private readonly ConcurrentQueue<Uri> _requests = new();

    public IReadOnlyList<Uri> Requests => [.. _requests];

    public void Add(Uri uri) => _requests.Enqueue(uri);
}

/// <summary>Added to every client through <c>ConfigureHttpClientDefaults</c>, so no outbound call goes unseen.</summary>
public sealed class OutboundRecorder(OutboundLog log) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        log.Add(request.RequestUri!);
        return base.SendAsync(request, cancellationToken);
    }
}
