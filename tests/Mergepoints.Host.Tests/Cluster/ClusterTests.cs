using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mergepoints.Counter.Client;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Host.Tests.Mash;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Cluster;

/// <summary>
/// The whole site through nginx on three instances, two counter shards, two worker processes and PostgreSQL, as
/// docs/deploy.md runs it: a person stays signed in whichever instance answers, songs are counted on one shard each,
/// mashes are made by the workers, their progress arrives live and their files come from nginx itself.
/// </summary>
public sealed class ClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>, IDisposable
{
    private const string Password = "a long enough password";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Someone_who_registered_and_signed_in_through_nginx_stays_signed_in_whichever_instance_answers()
    {
        var cluster = await fixture.SiteAsync();
        using (var registering = new Browser(cluster.Nginx.Url))
        {
            using var registered = await registering.RegisterAsync("ann", Password);
            Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        }
        using var ann = new Browser(cluster.Nginx.Url);
        using var signedIn = await ann.LogInAsync("ann", Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        const int Requests = 30;
        // The cluster is shared by this class's tests, so the logs may already hold whoami lines of another: what
        // counts is what this loop adds.
        int[] Logged() => [.. cluster.Ports.Select(port => cluster.RequestsLogged(port, "GET /_mergepoints/whoami 200"))];
        var before = Logged();
        var answers = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            answers.Add(await ann.WhoAmIAsync());
        }

        Assert.All(answers, answer => Assert.Equal("ann", Json(answer).GetProperty("name").GetString()));
        // Each instance logs the requests it answered to its slot's file: together they hold every one.
        var answered = await Eventually.ReadAsync(
            () => Task.FromResult(Logged().Zip(before, (now, then) => now - then).ToArray()),
            counts => counts.Sum() >= Requests,
            $"{Requests} whoami requests in the instances' logs");
        Assert.Equal(Requests, answered.Sum());
        Assert.True(answered.Count(count => count > 0) >= 2, $"one instance answered every request: {string.Join(", ", answered)}");
    }

    [Fact]
    public async Task Each_song_posted_through_nginx_is_counted_on_exactly_one_shard_the_one_CountClient_names()
    {
        var cluster = await fixture.SiteAsync();
        var songs = await PlayThroughNginxAsync(cluster, "placed", 40);

        var onShards = await Task.WhenAll(cluster.Shards.Select(shard => CountsAsync(shard.Url, "/api/")));
        using var client = new CountClient(new CountClientOptions { Servers = [.. cluster.Shards.Select(shard => new Uri(shard.Url, "api"))] });

        foreach (var song in songs)
        {
            var holder = Assert.Single(Enumerable.Range(0, onShards.Length), shard => onShards[shard].ContainsKey(song));
            Assert.Equal(1, onShards[holder][song]);
            Assert.Equal(client.ServerFor(song).Port, cluster.Shards[holder].Url.Port);
        }
        Assert.All(onShards, counts => Assert.Contains(counts.Keys, song => songs.Contains(song)));
    }

    [Fact]
    public async Task The_api_through_nginx_lists_the_counts_of_every_shard_together()
    {
        var cluster = await fixture.SiteAsync();
        var songs = await PlayThroughNginxAsync(cluster, "listed", 20);

        var all = await CountsAsync(cluster.Nginx.Url, "/api/");

        Assert.All(songs, song => Assert.Equal(1, all.GetValueOrDefault(song)));
    }

    [Fact]
    public async Task A_mash_sent_through_nginx_is_made_by_a_worker_process_and_its_progress_arrives_while_it_runs()
    {
        var cluster = await fixture.SiteAsync();
        using var ann = new MashVisitor(cluster.Nginx.Url);
        await ann.SignUpAsync("bob");
        // The workers frozen: the job cannot move on, let alone end, until the first event has come through nginx.
        foreach (var worker in cluster.Workers)
        {
            worker.Pause();
        }
        string mashId;
        (string Event, string Data)? first;
        Job jobWhenFirstRead;
        EventStreamReader stream;
        try
        {
            mashId = await ann.MashAsync(TestSongs.A, TestSongs.B);
            stream = await EventStreamReader.OpenAsync(ann.Client, $"/mashes/{mashId}/events", Cancel);
            first = await stream.NextAsync(Cancel);
            jobWhenFirstRead = await JobOfAsync(cluster, mashId);
        }
        finally
        {
            foreach (var worker in cluster.Workers)
            {
                worker.Resume();
            }
        }
        using (stream)
        {
            var rest = await stream.ReadToEndAsync(Cancel);

            // Held back by a buffer, the first event would have come with the last, once the job was over.
            Assert.Equal(("progress", JobStatus.Queued), (first?.Event, jobWhenFirstRead.Status));
            Assert.Equal("queued", Json(first!.Value.Data).GetProperty("status").GetString());
            // Whether a "running" event shows depends on the mash outlasting a read (300 ms); the stream goes on to
            // done at 100% either way, through nginx as it happens.
            Assert.Equal(("progress", "done", 100), (rest[^2].Event, Json(rest[^2].Data).GetProperty("status").GetString(), Json(rest[^2].Data).GetProperty("percent").GetInt32()));
            Assert.Equal("done", rest[^1].Event);
        }
        var job = await JobOfAsync(cluster, mashId);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        // A lease owner is host:pid:worker-n: the pid is one of the worker processes', never an instance's.
        Assert.Single(cluster.Workers, worker => job.LeaseOwner!.Contains($":{worker.Id}:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_finished_mash_downloaded_through_nginx_is_the_stored_file_sent_by_nginx_not_by_the_instance()
    {
        var cluster = await fixture.SiteAsync();
        using var cy = new MashVisitor(cluster.Nginx.Url);
        await cy.SignUpAsync("cy");
        var mashId = await cy.MashAsync(TestSongs.A, TestSongs.B);
        await cy.WaitUntilFinishedAsync(mashId);
        var library = Library(cluster);
        var output = (await library.Songs.GetAsync((await library.Mashups.GetAsync(mashId, Cancel))!.OutputSongId!, Cancel))!;

        using var page = await cy.GetAsync($"/mashes/{mashId}");
        using var download = await cy.GetAsync($"/mashes/{mashId}/download");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(library.Blobs.PathOf(output.BlobHash), Cancel), await download.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        // Every answer of an instance carries its Server-Timing, which nginx passes on (the page shows it); an answer
        // that nginx made from an X-Accel-Redirect keeps only the headers it copies, and this is not one of them.
        Assert.True(page.Headers.Contains("Server-Timing"), "the mash page came through nginx without the instance's Server-Timing");
        Assert.False(download.Headers.Contains("Server-Timing"), "the download carries the instance's Server-Timing: the instance sent the bytes");
    }

    public void Dispose() => fixture.ReportIfFailed();

    /// <summary>Counts one play each of <paramref name="count"/> new songs through nginx; returns their ids.</summary>
    private static async Task<IReadOnlyList<string>> PlayThroughNginxAsync(ClusterSite cluster, string prefix, int count)
    {
        var songs = Enumerable.Range(1, count).Select(i => $"{prefix}-{i}").ToList();
        foreach (var song in songs)
        {
            using var played = await cluster.Nginx.Client.PostAsync($"/api/song/{song}", null, Cancel);
            Assert.Equal(HttpStatusCode.OK, played.StatusCode);
        }
        return songs;
    }

    /// <summary>Every count the counter at <paramref name="path"/> answers, as JSON.</summary>
    private static async Task<Dictionary<string, long>> CountsAsync(Uri site, string path)
    {
        using var client = new HttpClient { BaseAddress = site };
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/json") } } };
        using var response = await client.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize<Dictionary<string, long>>(await response.Content.ReadAsStringAsync(Cancel))!;
    }

    private static async Task<Job> JobOfAsync(ClusterSite cluster, string mashId)
    {
        var mashup = (await Library(cluster).Mashups.GetAsync(mashId, Cancel))!;
        return (await new JobQueue(cluster.Database, new JobsOptions()).GetAsync(mashup.JobId!, Cancel))!;
    }

    private static MashLibrary Library(ClusterSite cluster) =>
        new(cluster.Database, new JobQueue(cluster.Database, new JobsOptions()), cluster.DataDirectory, new MashLibraryOptions());

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
