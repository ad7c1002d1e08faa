using System.Collections.Concurrent;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Cluster;

/// <summary>
/// An instance killed outright under load behind nginx: no GET fails, and the same <c>serve</c> command run again takes
/// the freed slot and gets its share of the traffic back. A cluster of its own (no shards, no workers: this is about
/// the instances), since it kills a part of it.
/// </summary>
public sealed class ClusterFailoverTests : IAsyncDisposable
{
    private ClusterSite? _cluster;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_instance_killed_under_load_costs_no_GET_and_run_again_it_takes_its_slot_and_traffic_back()
    {
        var cluster = _cluster = await ClusterSite.StartAsync(shards: 0, workers: 0, Cancel);
        var victim = cluster.Instances[1];
        var port = victim.Url.Port;
        var failures = new ConcurrentQueue<string>();
        var answered = 0;
        using var stop = new CancellationTokenSource();

        var loops = Enumerable.Range(0, 4).Select(loop => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var path = (loop + i) % 2 == 0 ? "/healthz" : "/";
                try
                {
                    using var response = await cluster.Nginx.Client.GetAsync(path, Cancel);
                    if (!response.IsSuccessStatusCode)
                    {
                        failures.Enqueue($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
                    }
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue($"GET {path}: {e.Message}");
                }
                Interlocked.Increment(ref answered);
            }
        }, Cancel)).ToList();
        // /healthz is answered before the request log: the home page is what the instances' logs show.
        // Killed once it has its share of the load, so that requests are in flight to it; the load goes on until
        // nginx has answered plenty more, some of them surely meant for the dead instance.
        await Eventually.ReadAsync(() => Task.FromResult(cluster.RequestsLogged(port, "GET / 200")), count => count > 0, $"the instance on {port} answering");
        await cluster.KillAsync(victim);
        var atKill = Volatile.Read(ref answered);
        await Eventually.ReadAsync(() => Task.FromResult(Volatile.Read(ref answered)), count => count >= atKill + 300, "300 GETs after the kill");
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        Assert.Empty(failures);

        var again = await cluster.StartInstanceAsync();
        Assert.Equal(port, again.Url.Port);
        var before = cluster.RequestsLogged(port, "GET / 200");
        await Eventually.ReadAsync(
            async () =>
            {
                using var response = await cluster.Nginx.Client.GetAsync("/", Cancel);
                return cluster.RequestsLogged(port, "GET / 200");
            },
            count => count > before,
            $"nginx sending requests to the instance back on {port}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            _cluster.ReportIfFailed();
            await _cluster.DisposeAsync();
        }
    }
}
