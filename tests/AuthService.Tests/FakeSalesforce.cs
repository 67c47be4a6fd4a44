using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace AuthService.Tests;

/// <summary>
/// A hand-written stand-in for Salesforce's HTTP answers, for what the emulator cannot be made to do
/// (garbage bodies, wrong types): it records every request and answers what the test scripts.
/// </summary>
public sealed class FakeSalesforce : HttpMessageHandler
{
    public ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

    /// <summary>The answer to each request; <c>Answer</c> may await, e.g. a gate that holds calls in flight.</summary>
    public Func<HttpRequestMessage, Task<HttpResponseMessage>> Answer { get; set; } = _ => Task.FromResult(Json("{\"active\":false}"));

    /// <summary>When set, no answer ever comes: the request waits until the client's pipeline gives up on it.</summary>
    public bool Stalled { get; set; }

    public int CallsTo(string path) => Requests.Count(r => r.RequestUri!.AbsolutePath == path);

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Active(string clientId, long exp, string tokenType = "access_token", string org = "00D5g000004ABCDEA4") =>
        Json($$"""{"active":true,"scope":"api id","client_id":"{{clientId}}","username":"u@example.com","sub":"https://login.example.com/id/{{org}}/0055g00000DEMOUAA5","token_type":"{{tokenType}}","exp":{{exp}},"iat":{{exp - 7200}},"nbf":{{exp - 7200}}}""");

    public static HttpResponseMessage UserInfo() =>
        Json("""{"sub":"x","urls":{"custom_domain":"https://acme.my.salesforce.com","rest":"https://acme.my.salesforce.com/services/data/v{version}/"}}""");

    /// <summary>UserInfo of a live session, in Salesforce's shape (the fields the AuthService reads, and a few more).</summary>
    public static HttpResponseMessage UserInfoOf(string org = "00D5g000004ABCDEA4", string user = "0055g00000DEMOUAA5", bool active = true) =>
        Json($$$"""{"sub":"https://login.example.com/id/{{{org}}}/{{{user}}}","user_id":"{{{user}}}","organization_id":"{{{org}}}","preferred_username":"u@example.com","nickname":"u","active":{{{(active ? "true" : "false")}}},"user_type":"STANDARD","urls":{"custom_domain":"https://acme.my.salesforce.com","rest":"https://acme.my.salesforce.com/services/data/v{version}/"}}""");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (Stalled)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        return await Answer(request);
    }
}
