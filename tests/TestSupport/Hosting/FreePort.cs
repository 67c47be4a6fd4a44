using System.Net;
using System.Net.Sockets;

namespace SalesforceIdentity.Tests.Hosting;

/// <summary>A TCP port the operating system just handed out, so that no test depends on a fixed port.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
