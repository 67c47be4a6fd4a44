using System.Net.Sockets;

namespace SalesforceIdentity.AspNetCore.AuthServiceClient;

/// <summary>
/// Tells a call that got no whole answer, because the connection was refused, reset or closed early (an
/// instance that died, or a proxy in front of one), from every other fault. Only these are asked once more.
/// </summary>
internal static class NoAnswer
{
    public static bool Is(Exception? exception) => exception switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded } => true,
        // A reset surfaces as HttpRequestError.Unknown with the socket's error inside.
        HttpRequestException { InnerException: { } inner } => IsReset(inner),
        _ => false,
    };

    private static bool IsReset(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown })
            {
                return true;
            }
        }

        return false;
    }
}
