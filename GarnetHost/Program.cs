using Garnet;
using System.Runtime.InteropServices;

// Microsoft's Redis-compatible server, embedded so that a machine with only the .NET SDK runs the app.
// Arguments are Garnet's own (--port, --bind, ...), passed by the AppHost.
using var server = new GarnetServer(args);
server.Start();

var stopped = new TaskCompletionSource();
using var registration = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopped.TrySetResult();
});
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopped.TrySetResult();
};
await stopped.Task;
