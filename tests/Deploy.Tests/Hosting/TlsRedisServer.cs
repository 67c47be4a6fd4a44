using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Deploy.Tests.Hosting;

/// <summary>
/// <c>redis-server</c> shaped like Heroku Redis: TLS only, a password, and a self-signed certificate whose
/// name is not the host the clients connect to. The services reach it through a <c>rediss://</c> URL.
/// </summary>
public sealed class TlsRedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly ServiceProcess _process;

    private TlsRedisServer(ServiceProcess process, string password)
    {
        _process = process;
        Password = password;
    }

    public string Password { get; }

    public int Port => _process.Port;

    /// <summary>Heroku's form: <c>rediss://:&lt;password&gt;@host:port</c>.</summary>
    public string Url => $"rediss://:{Uri.EscapeDataString(Password)}@127.0.0.1:{Port}";

    public static async Task<TlsRedisServer> StartAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var certificatePath = Path.Combine(directory, "redis.crt");
        var keyPath = Path.Combine(directory, "redis.key");
        WriteSelfSignedCertificate(certificatePath, keyPath);

        // Characters a URL must escape, so the services' REDIS_URL decoding is exercised too.
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) + "+/=";
        var port = FreePort.Next();
        // A config file rather than arguments keeps the password out of the process list.
        var configPath = Path.Combine(directory, "redis.conf");
        File.WriteAllLines(configPath,
        [
            "bind 127.0.0.1",
            "port 0",
            string.Create(CultureInfo.InvariantCulture, $"tls-port {port}"),
            $"tls-cert-file {certificatePath}",
            $"tls-key-file {keyPath}",
            $"tls-ca-cert-file {certificatePath}",
            "tls-auth-clients no",
            $"requirepass \"{password}\"",
            "save \"\"",
            "appendonly no",
            $"dir {directory}",
        ]);

        var redisServer = FindOnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server is not on the PATH (apt-get install redis-server; .ci/run installs it).");
        var process = ServiceProcess.Start("redis-server", redisServer, [configPath], directory,
            new Dictionary<string, string> { ["PATH"] = "/usr/local/bin:/usr/bin:/bin" }, port);
        try
        {
            await process.WaitForOutputAsync("Ready to accept connections", StartTimeout);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new TlsRedisServer(process, password);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static void WriteSelfSignedCertificate(string certificatePath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // Like Heroku's: self-signed, and named for something other than the address clients dial.
        var request = new CertificateRequest("CN=redis.internal", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
