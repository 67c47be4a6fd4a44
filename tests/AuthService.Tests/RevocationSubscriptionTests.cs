using System.Collections.Concurrent;
using SalesforceIdentity.Contract;
using StackExchange.Redis;

namespace AuthService.Tests;

/// <summary>
/// The one subscription both services hear revocations with: a host may dispose it before, or instead of, stopping it
/// (a stop that outlasts its time), and neither order may throw from the host's shutdown or leave it subscribed.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class RevocationSubscriptionTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StoppedAndDisposedInEitherOrderItThrowsNothingAndHearsNothingMore(bool disposeFirst)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var heard = new ConcurrentQueue<TokenHash>();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = new RevocationSubscription(connection, heard.Enqueue, listening.SetResult, _ => { });
        await subscription.StartAsync();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var before = TokenHash.Of("token revoked while heard");
        await redis.Redis.GetSubscriber().PublishAsync(RedisChannel.Literal(Revocations.Channel), Revocations.Message(before));
        await Eventually.TrueAsync(() => heard.Contains(before));
        var server = redis.Redis.GetServers().Single();
        var subscribedWhileHearing = await server.SubscriptionSubscriberCountAsync(RedisChannel.Literal(Revocations.Channel));

        if (disposeFirst)
        {
            subscription.Dispose();
            await subscription.StopAsync(CancellationToken.None);
        }
        else
        {
            await subscription.StopAsync(CancellationToken.None);
            subscription.Dispose();
        }

        // Whatever else may listen on this Redis, this subscription is gone from the channel.
        Assert.Equal(subscribedWhileHearing - 1, await server.SubscriptionSubscriberCountAsync(RedisChannel.Literal(Revocations.Channel)));
        Assert.Equal([before], heard.ToArray());
    }
}
