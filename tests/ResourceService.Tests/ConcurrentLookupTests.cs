using System.Net;

namespace ResourceService.Tests;

/// <summary>Requests that arrive while their token is being looked up share that one lookup (checklist 14, in the API).</summary>
public sealed class ConcurrentLookupTests
{
    [Fact]
    public async Task FiftyConcurrentFirstRequestsWithOneTokenMakeOneAuthServiceCall()
    {
        await using var host = await ResourceServiceHost.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.AuthService.Respond = async context =>
        {
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(20), context.RequestAborted);
            await AuthServiceAnswers.Active()(context);
        };

        var requests = Enumerable.Range(0, 50).Select(_ => host.GetAsync("/secured", "00D000000000001!one.new.token")).ToList();
        await Eventually.TrueAsync(() => host.AuthService.Requests.Count > 0);

        // Let every request reach the validator before the one lookup answers.
        await Task.Delay(300);
        gate.SetResult();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        host.AssertOnlyAuthServiceCalled(1);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
