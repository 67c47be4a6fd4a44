using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SalesforceIdentity.Tests.Hosting;
using Xunit.Abstractions;

namespace ResourceService.Tests;

/// <summary>
/// Gateway mode (issue 17) as it runs deployed: the built ResourceService as its own process, configured only by
/// environment variables (<c>ReverseProxy__...</c>, as Heroku config vars). Bodies are streamed through it, not
/// buffered: its memory, read from the kernel's counters for that process alone, does not grow by what passes.
/// </summary>
public sealed class GatewayStreamingTests(ITestOutputHelper output)
{
    private const int FiftyMegabytes = 50 * 1024 * 1024;
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FiftyMegabytesUpAndDownPassWithoutTheGatewaysMemoryGrowingByThem()
    {
        await using var authService = await FakeServer.StartAsync();
        authService.Respond = AuthServiceAnswers.Active();
        await using var upstream = await FakeServer.StartAsync();
        var uploaded = 0L;
        var uploadWasChunked = false;
        upstream.Respond = async context =>
        {
            if (HttpMethods.IsPost(context.Request.Method))
            {
                uploadWasChunked = context.Request.ContentLength is null;
                // The upstream's own Kestrel has the same 30 MB default.
                context.Features.GetRequiredFeature<IHttpMaxRequestBodySizeFeature>().MaxRequestBodySize = null;
                uploaded = await CountAsync(context.Request.Body, context.RequestAborted);
                await AuthServiceAnswers.Json("""{"received":true}""")(context);
                return;
            }

            await AuthServiceAnswers.Huge(announced: false)(context);
        };
        // Kestrel refuses bodies over 30 MB unless the route says otherwise (YARP's MaxRequestBodySize, -1 for no limit).
        await using var gateway = await StartGatewayAsync(authService.Url, upstream.Url, ("ReverseProxy__Routes__api__MaxRequestBodySize", "104857600"));
        using var client = gateway.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(2);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayHost.Token);

        // Warm up both directions, so that first-use costs (JIT, pools) are not counted.
        await UploadAsync(client, 1024 * 1024);
        await DownloadAsync(client);
        var before = Memory.Of(gateway);

        var sent = await UploadAsync(client, FiftyMegabytes);
        var received = await DownloadAsync(client);
        var after = Memory.Of(gateway);

        output.WriteLine($"gateway before: private {before.Private / MiB} MiB, peak RSS {before.Peak / MiB} MiB; after 50 MB up and 50 MB down: private {after.Private / MiB} MiB, peak RSS {after.Peak / MiB} MiB");
        Assert.Equal(FiftyMegabytes, sent);
        Assert.Equal(FiftyMegabytes, uploaded);
        Assert.True(uploadWasChunked, "The gateway sent a Content-Length it could only know by buffering the chunked body.");
        Assert.True(received >= FiftyMegabytes - (64 * 1024), $"Downloaded {received} bytes.");
        // Buffering either body would need at least 50 MB at once; streaming needs a few pooled buffers.
        Assert.True(after.Peak - before.Peak < 20 * MiB, $"The gateway's peak RSS grew by {(after.Peak - before.Peak) / MiB} MiB.\n{gateway.Output}");
        Assert.True(after.Private - before.Private < 20 * MiB, $"The gateway's private memory grew by {(after.Private - before.Private) / MiB} MiB.\n{gateway.Output}");
    }

    [Fact]
    public async Task AnAnonymousRouteInTheEnvironmentStopsTheProcessWithALineNamingIt()
    {
        await using var authService = await FakeServer.StartAsync();
        await using var gateway = StartGateway(authService.Url, new Uri("http://127.0.0.1:9/"),
            ("ReverseProxy__Routes__api__AuthorizationPolicy", "anonymous"));

        Assert.True(await gateway.WaitForExitAsync(StartTimeout), $"The gateway kept running with an anonymous route.\n{gateway.Output}");
        Assert.NotEqual(0, gateway.ExitCode);
        Assert.Contains(gateway.Lines, line => line.Contains("ReverseProxy__Routes__api__AuthorizationPolicy is 'anonymous'", StringComparison.Ordinal));
    }

    private static async Task<ServiceProcess> StartGatewayAsync(Uri authService, Uri upstream, params (string Name, string Value)[] extra)
    {
        var gateway = StartGateway(authService, upstream, extra);
        try
        {
            await gateway.WaitUntilOkAsync("/alive", StartTimeout);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    private static ServiceProcess StartGateway(Uri authService, Uri upstream, params (string Name, string Value)[] extra)
    {
        var assembly = Repository.BuildOutput("ResourceService");
        var port = FreePort.Next();
        var home = Directory.CreateTempSubdirectory("gateway-home-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = home,
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["AUTH_SERVICE_URL"] = authService.ToString(),
            ["INTERNAL_API_KEY"] = ResourceServiceHost.ApiKey,
            ["ReverseProxy__Routes__api__ClusterId"] = "upstream",
            ["ReverseProxy__Routes__api__Match__Path"] = "/api/{**rest}",
            ["ReverseProxy__Clusters__upstream__Destinations__one__Address"] = upstream.ToString(),
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return ServiceProcess.Start("gateway", DotnetHost.Path, [assembly], Path.GetDirectoryName(assembly)!, environment, port);
    }

    private static async Task<long> UploadAsync(HttpClient client, int length)
    {
        using var content = new GeneratedContent(length);
        using var response = await client.PostAsync(new Uri("/api/upload", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return content.Written;
    }

    private static async Task<long> DownloadAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/api/download", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        return await CountAsync(body, CancellationToken.None);
    }

    private static async Task<long> CountAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>A request body made as it is sent, 64 KB at a time, without a Content-Length (chunked).</summary>
    private sealed class GeneratedContent(int length) : HttpContent
    {
        public long Written { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'x');
            while (Written < length)
            {
                var size = (int)Math.Min(chunk.Length, length - Written);
                await stream.WriteAsync(chunk.AsMemory(0, size));
                Written += size;
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>A process's memory as the kernel counts it: private (<c>RssAnon</c>) and peak resident (<c>VmHWM</c>), in bytes.</summary>
    private readonly record struct Memory(long Private, long Peak)
    {
        public static Memory Of(ServiceProcess process)
        {
            var status = File.ReadAllLines($"/proc/{process.ProcessId}/status");
            return new Memory(Kilobytes(status, "RssAnon:") * 1024, Kilobytes(status, "VmHWM:") * 1024);
        }

        private static long Kilobytes(string[] status, string field) =>
            long.Parse(status.Single(line => line.StartsWith(field, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
