using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Counter;

/// <summary>
/// The counter's promise under the worst a machine does to it: the real host process, POSTs from many clients,
/// <c>kill -9</c> in the middle, a restart on the same data. With <c>fsync</c> no acknowledged play is lost;
/// with <c>batch</c> only plays acknowledged within the last window may be. Snapshots every 4 KiB of log, so
/// the kill also lands across segment rolls and snapshot writes. (A killed process leaves the page cache behind,
/// so this proves the log's order and recovery, not the fsync itself: only a power cut would tell those apart.)
/// </summary>
public sealed class CounterCrashTests : IDisposable
{
    private const int Clients = 32;
    private const int Songs = 20;
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task With_fsync_every_acknowledged_post_survives_kill_9()
    {
        var (acknowledged, sent, recovered, _) = await LoadKillAndRestartAsync(new Dictionary<string, string>
        {
            ["Counter__Durability"] = "fsync",
            ["Counter__SnapshotAfterBytes"] = "4096",
        });

        Assert.True(acknowledged.Values.Sum(a => a.Count) > 100, "the load ran long enough to mean something");
        foreach (var song in sent.Keys)
        {
            var count = recovered.GetValueOrDefault(song);
            // Every POST that was answered is counted; a POST that was durable but not yet answered may be too.
            Assert.InRange(count, acknowledged[song].Count, sent[song]);
        }
    }

    [Fact]
    public async Task With_batch_only_posts_acknowledged_in_the_last_window_can_be_lost()
    {
        const int Window = 100;
        var (acknowledged, sent, recovered, killedAt) = await LoadKillAndRestartAsync(new Dictionary<string, string>
        {
            ["Counter__Durability"] = "batch",
            ["Counter__BatchMilliseconds"] = Window.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Counter__SnapshotAfterBytes"] = "4096",
        });

        // A play answered at t is on disk by the fsync at t + window at the latest; allow the fsync's own time
        // and a busy machine's scheduling generously: the bound still tells a window from "lost everything".
        var safeBefore = killedAt - TimeSpan.FromMilliseconds(Window + 400);
        foreach (var song in sent.Keys)
        {
            var count = recovered.GetValueOrDefault(song);
            var certainlyDurable = acknowledged[song].Count(at => at < safeBefore);
            Assert.InRange(count, certainlyDurable, sent[song]);
        }
    }

    private async Task<(ConcurrentDictionary<string, ConcurrentBag<TimeSpan>> Acknowledged, ConcurrentDictionary<string, int> Sent, Dictionary<string, long> Recovered, TimeSpan KilledAt)>
        LoadKillAndRestartAsync(Dictionary<string, string> environment)
    {
        var config = _directory.Write("site.json", """{"mounts": [{"path": "/api", "app": "counter"}]}""");
        var data = Path.Combine(_directory.Path, "data");
        var acknowledged = new ConcurrentDictionary<string, ConcurrentBag<TimeSpan>>();
        var sent = new ConcurrentDictionary<string, int>();
        for (var song = 0; song < Songs; song++)
        {
            acknowledged[$"s{song}"] = [];
            sent[$"s{song}"] = 0;
        }
        var clock = Stopwatch.StartNew();
        TimeSpan killedAt;

        await using (var host = await HostProcess.StartAsync(config, data, environment))
        {
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                using var http = new HttpClient { BaseAddress = host.Url };
                for (var post = 0; !stop.IsCancellationRequested; post++)
                {
                    var song = $"s{(client + post) % Songs}";
                    sent.AddOrUpdate(song, 1, (_, n) => n + 1);
                    try
                    {
                        using var response = await http.PostAsync(new Uri($"/api/song/{song}", UriKind.Relative), null, CancellationToken.None);
                        response.EnsureSuccessStatusCode();
                        await response.Content.ReadAsStringAsync(CancellationToken.None);
                        acknowledged[song].Add(clock.Elapsed);
                    }
                    catch (HttpRequestException)
                    {
                        return; // the host is gone
                    }
                }
            }, TestContext.Current.CancellationToken)).ToArray();

            await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
            killedAt = clock.Elapsed;
            await host.KillAsync();
            stop.Cancel();
            await Task.WhenAll(load);
        }

        await using var restarted = await HostProcess.StartAsync(config, data, environment);
        using var client = new HttpClient { BaseAddress = restarted.Url };
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var recovered = await client.GetFromJsonAsync<Dictionary<string, long>>(new Uri("/api/", UriKind.Relative), TestContext.Current.CancellationToken);
        return (acknowledged, sent, recovered!, killedAt);
    }

    public void Dispose() => _directory.Dispose();
}
