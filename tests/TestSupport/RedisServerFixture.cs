using System.Diagnostics;
using Garnet;
using SalesforceIdentity.Tests.Hosting;
using StackExchange.Redis;

namespace SalesforceIdentity.Tests;

/// <summary>
/// A real Redis for the run: <c>redis-server</c> from the PATH on a free loopback port, or, on a machine
/// with only the .NET SDK, Garnet in this process. Nothing is written to disk.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime, IDisposable
{
    private Process? _redisServer;
    private GarnetServer? _garnet;

    public int Port { get; } = FreePort.Next();

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var redisServer = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(directory => Path.Combine(directory, "redis-server"))
            .FirstOrDefault(File.Exists);
        if (redisServer is not null)
        {
            _redisServer = Process.Start(new ProcessStartInfo(redisServer, ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
        }
        else
        {
            _garnet = new GarnetServer(["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--memory", "64m", "--index", "8m"]);
            _garnet.Start();
        }

        Redis = await ConnectWithRetriesAsync(ConnectionString);
    }

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=1000,asyncTimeout=1000";

    /// <summary>A connection to a port nothing listens on: Redis "down".</summary>
    public static IConnectionMultiplexer ConnectToNothing() =>
        ConnectionMultiplexer.Connect(new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", FreePort.Next() } },
            AbortOnConnectFail = false,
            ConnectTimeout = 200,
            SyncTimeout = 300,
            AsyncTimeout = 300,
            BacklogPolicy = BacklogPolicy.FailFast,
        });

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        if (_redisServer is not null)
        {
            _redisServer.Kill(entireProcessTree: true);
            await _redisServer.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            _redisServer.Dispose();
        }

        Dispose();
    }

    public void Dispose()
    {
        // xunit calls both DisposeAsync and Dispose; Garnet refuses a second dispose.
        _garnet?.Dispose();
        _garnet = null;
    }

    private static async Task<IConnectionMultiplexer> ConnectWithRetriesAsync(string connectionString)
    {
        for (var attempt = 0; ; attempt++)
        {
            var redis = await ConnectionMultiplexer.ConnectAsync(connectionString);
            if (redis.IsConnected)
            {
                return redis;
            }

            await redis.DisposeAsync();
            if (attempt == 50)
            {
                throw new InvalidOperationException("Redis did not start.");
            }

            await Task.Delay(100);
        }
    }
}
