using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EndToEnd.Tests;

/// <summary>
/// Fuzz-style: every public route of both services gets random bytes, huge headers and bodies, wrong
/// content types and repeated parameters. Whatever comes in, the answer is never a 5xx other than 503,
/// and never a hang (every request is bounded by the client's timeout).
/// </summary>
[Collection(SharedAspireApp.Name)]
public sealed class MalformedInputTests(AspireAppFixture fixture)
{
    private static readonly (string Resource, HttpMethod Method, string Path)[] Routes =
    [
        ("authservice", HttpMethod.Get, "/"),
        ("authservice", HttpMethod.Get, "/oauth2/authorize"),
        ("authservice", HttpMethod.Get, "/oauth2/success"),
        ("authservice", HttpMethod.Post, "/oauth2/token"),
        ("authservice", HttpMethod.Post, "/oauth2/login"),
        ("authservice", HttpMethod.Get, "/oauth2/login"),
        ("authservice", HttpMethod.Post, "/oauth2/refresh"),
        ("authservice", HttpMethod.Post, "/oauth2/revoke"),
        ("authservice", HttpMethod.Post, "/oauth2/introspect"),
        ("authservice", HttpMethod.Get, "/health"),
        ("resourceservice", HttpMethod.Get, "/"),
        ("resourceservice", HttpMethod.Get, "/secured"),
        ("resourceservice", HttpMethod.Get, "/secured/me"),
        ("resourceservice", HttpMethod.Get, "/health"),
    ];

    public static TheoryData<int> RouteIndexes => [.. Enumerable.Range(0, Routes.Length)];

    [Theory]
    [MemberData(nameof(RouteIndexes))]
    public async Task MalformedRequestsNeverGetAServerErrorOrHang(int routeIndex)
    {
        var (resource, method, path) = Routes[routeIndex];
        using var client = fixture.CreateClient(resource);
        var random = new Random(routeIndex);
        var failures = new List<string>();

        foreach (var (name, request) in MalformedRequests(method, path, random))
        {
            using (request)
            {
                using var response = await client.SendAsync(request);
                if ((int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    failures.Add($"{name}: {(int)response.StatusCode}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task BrokenHttpOnTheWireGetsA400NotACrash()
    {
        var endpoint = fixture.App.GetEndpoint("authservice", "http");
        string[] requests =
        [
            "GET /oauth2/success?code=%ZZ&state=%C3%28 HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\n\r\ncode=\xff\xfe",
            "GET /secured HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\x01b\r\n\r\n",
            "GARBAGE\r\n\r\n",
        ];

        foreach (var raw in requests)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(endpoint.Host, endpoint.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.Latin1.GetBytes(raw));
            var buffer = new byte[4096];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(AspireAppFixture.RequestTimeout);
            var statusLine = Encoding.Latin1.GetString(buffer, 0, read).Split("\r\n")[0];
            Assert.Matches(@"^HTTP/1\.1 (4\d\d|200|302|503) ", statusLine);
        }
    }

    private static IEnumerable<(string Name, HttpRequestMessage Request)> MalformedRequests(HttpMethod method, string path, Random random)
    {
        yield return ("random bytes as a form", Request(method, path, new ByteArrayContent(RandomBytes(random, 2048)), "application/x-www-form-urlencoded"));
        yield return ("random bytes as JSON", Request(method, path, new ByteArrayContent(RandomBytes(random, 2048)), "application/json"));
        yield return ("random bytes as multipart", Request(method, path, new ByteArrayContent(RandomBytes(random, 2048)), "multipart/form-data; boundary=xyz"));
        yield return ("random bytes, no content type", Request(method, path, new ByteArrayContent(RandomBytes(random, 512)), null));
        yield return ("a 6 MB form", Request(method, path, new StringContent("token=" + new string('a', 6 * 1024 * 1024), Encoding.ASCII), "application/x-www-form-urlencoded"));
        yield return ("repeated parameters", Request(method, path + "?code=a&code=b&state=x&state=y&token=1&token=2",
            new StringContent("token=a&token=b&code=c&code=d&refresh_token=e&refresh_token=f&username=u&username=v", Encoding.ASCII), "application/x-www-form-urlencoded"));
        yield return ("odd percent-encoding", Request(method, path + "?code=%E0%A4%A&state=%00%0d%0a&error=%3Cscript%3E", null, null));
        yield return ("a 10 KB query", Request(method, path + "?state=" + new string('s', 10 * 1024), null, null));

        var hugeHeader = Request(method, path, null, null);
        hugeHeader.Headers.TryAddWithoutValidation("X-Fuzz", new string('h', 64 * 1024));
        yield return ("a 64 KB header", hugeHeader);

        var twoTokens = Request(method, path, null, null);
        twoTokens.Headers.TryAddWithoutValidation("Authorization", ["Bearer a", "Bearer b"]);
        twoTokens.Headers.TryAddWithoutValidation("bearer", "c");
        yield return ("two tokens", twoTokens);

        var hugeToken = Request(method, path, null, null);
        hugeToken.Headers.TryAddWithoutValidation("Authorization", "Bearer " + new string('t', 32 * 1024));
        yield return ("a 32 KB token", hugeToken);

        var badInstance = Request(method, path, null, null);
        badInstance.Headers.TryAddWithoutValidation("bearer", "00D000000000000!x");
        badInstance.Headers.TryAddWithoutValidation("instanceurl", "gopher://127.0.0.1:6379/_PING");
        yield return ("gopher instanceurl", badInstance);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content, string? contentType)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (content is not null)
        {
            content.Headers.Remove("Content-Type");
            if (contentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        return request;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
