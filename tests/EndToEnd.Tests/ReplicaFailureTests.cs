using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit.Abstractions;

namespace EndToEnd.Tests;

/// <summary>
/// Issue 7's scale-out under failure: one AuthService replica is killed (SIGKILL, as a crashed dyno) while the
/// ResourceService is validating new tokens through it. Every request must still be answered 200, because the
/// other replica could serve each of them.
/// </summary>
[Collection(SharedScaledOutApp.Name)]
public sealed class ReplicaFailureTests(ScaledOutAppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task KillingOneAuthServiceReplicaMidLoadLosesNoRequestTheOtherCouldServe()
    {
        // A token is validated through the AuthService only on its first use: each request carries a new one.
        var tokens = new ConcurrentQueue<string>(await GetTokensAsync(400));
        var victim = await FindReplicaAsync("authservice");
        var processes = ProcessTree(GetPid(victim));

        using var resource = fixture.CreateClient("resourceservice");
        var answers = new ConcurrentBag<(HttpStatusCode Status, bool AfterKill)>();
        var killed = false;
        try
        {
            var load = Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                while (tokens.TryDequeue(out var token))
                {
                    var afterKill = Volatile.Read(ref killed);
                    using var response = await resource.SendAsync(ProtectedRouteTests.Get("/secured", token));
                    answers.Add((response.StatusCode, afterKill));
                }
            }));

            // Kill once the load is well under way, while requests are in flight.
            while (answers.Count < 100 && !load.IsCompleted)
            {
                await Task.Delay(5);
            }

            foreach (var process in processes)
            {
                using (process)
                {
                    process.Kill();
                }
            }

            Volatile.Write(ref killed, true);
            await WaitForReplicaAsync(victim, s => KnownResourceStates.TerminalStates.Contains(s.State?.Text));
            await load;
            output.WriteLine(string.Join(", ", answers.GroupBy(a => a).Select(g => $"{g.Key}: {g.Count()}")));
        }
        finally
        {
            await RestartAsync(victim);
        }

        Assert.True(answers.Count(a => a.AfterKill) >= 100, $"only {answers.Count(a => a.AfterKill)} requests after the kill");
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
    }

    private async Task<string[]> GetTokensAsync(int count)
    {
        using var gate = new SemaphoreSlim(8);
        return await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                return await fixture.GetPasswordGrantTokenAsync();
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>The orchestrator's name of one running instance of <paramref name="resource"/>.</summary>
    private async Task<string> FindReplicaAsync(string resource)
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new HashSet<string>();
        await foreach (var e in fixture.App.ResourceNotifications.WatchAsync(budget.Token))
        {
            if (e.Resource.Name == resource && e.Snapshot.State?.Text == KnownResourceStates.Running && seen.Add(e.ResourceId) && seen.Count == 2)
            {
                return e.ResourceId;
            }
        }

        throw new InvalidOperationException($"fewer than two running instances of {resource}");
    }

    private int GetPid(string replica)
    {
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(replica, out var state), $"no state for {replica}");
        var pid = state.Snapshot.Properties.FirstOrDefault(p => p.Name.EndsWith(".pid", StringComparison.Ordinal))?.Value;
        Assert.True(pid is not null, $"no pid among {string.Join(", ", state.Snapshot.Properties.Select(p => $"{p.Name}={p.Value}"))}");
        return Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The process the orchestrator started and every process under it (a <c>dotnet run</c> wrapper has the app as a child).</summary>
    private static List<Process> ProcessTree(int root)
    {
        var children = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Select(pid => (Pid: pid, Parent: ParentOf(pid)))
            .ToLookup(p => p.Parent, p => p.Pid);
        var tree = new List<Process>();
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out var pid))
        {
            tree.Add(Process.GetProcessById(pid));
            foreach (var child in children[pid])
            {
                pending.Enqueue(child);
            }
        }

        return tree;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private async Task RestartAsync(string replica)
    {
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(replica, KnownResourceCommands.StartCommand).WaitAsync(AspireAppFixture.StartTimeout);
        Assert.True(result.Success, result.Message);
        await WaitForReplicaAsync(replica, s => s.State?.Text == KnownResourceStates.Running && s.HealthStatus == HealthStatus.Healthy);
    }

    /// <summary>
    /// Polls one replica's current state: the WaitFor… helpers match a resource by its model name, which every
    /// replica shares.
    /// </summary>
    private async Task WaitForReplicaAsync(string replica, Func<CustomResourceSnapshot, bool> condition)
    {
        using var budget = new CancellationTokenSource(AspireAppFixture.StartTimeout);
        while (!(fixture.App.ResourceNotifications.TryGetCurrentState(replica, out var state) && condition(state.Snapshot)))
        {
            await Task.Delay(100, budget.Token);
        }
    }
}
