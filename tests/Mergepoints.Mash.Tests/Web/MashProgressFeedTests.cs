using System.Text.Json;
using Dapper;
using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Mash.Tests.Infrastructure;
using Mergepoints.Mash.Web;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;
using Mergepoints.Testing.Audio;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mergepoints.Mash.Tests.Web;

/// <summary>
/// The site's progress streams over one shared feed, on real Kestrel and both databases: the test plays the
/// worker through the queue, so each mash's state is known when its streams are read.
/// </summary>
public sealed class MashProgressFeedTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Streams_of_several_mashes_open_at_once_each_follow_their_own_mash_to_its_end(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind, jobs: new JobsOptions { MaxAttempts = 1 });
        await using var site = await MashSiteOver.StartAsync(test);
        var (ann, song) = await AnnWithASongAsync(test);
        var mashes = new List<Mashup>();
        for (var i = 0; i < 3; i++)
        {
            mashes.Add(await MashAsync(test, ann, song));
        }
        // Two pages on the first mash, one on each of the others.
        var watching = new[] { 0, 0, 1, 2 };
        var streams = new List<EventStreamReader>();
        try
        {
            foreach (var index in watching)
            {
                streams.Add(await EventStreamReader.OpenAsync(site.Kestrel.Client, $"/mashes/{mashes[index].Id}/events", Cancel));
            }
            foreach (var stream in streams)
            {
                Assert.Equal("queued", Status(await stream.NextAsync(Cancel)).GetProperty("status").GetString());
            }

            var claimed = new Dictionary<string, Job>();
            while (await test.Queue.ClaimAsync("test:1:worker-1", Cancel) is { } job)
            {
                claimed[job.Id] = job;
            }
            Job JobOf(int index) => claimed[mashes[index].JobId!];
            for (var i = 0; i < mashes.Count; i++)
            {
                await test.Queue.HeartbeatAsync(JobOf(i), new JobProgress($"stage of mash {i}", 0.1 * (i + 1)), Cancel);
            }
            var running = new List<JsonElement>();
            foreach (var stream in streams)
            {
                running.Add(await NextOtherThanStartingAsync(stream));
            }
            await test.AttachOutputAsync(mashes[0], song.Id);
            await test.Queue.CompleteAsync(JobOf(0), null, Cancel);
            await test.Queue.FailAsync(JobOf(1), "B is silent.", retry: false, Cancel);
            await test.AttachOutputAsync(mashes[2], song.Id);
            await test.Queue.CompleteAsync(JobOf(2), null, Cancel);
            var ends = new List<(string Event, string Data)>();
            foreach (var stream in streams)
            {
                ends.Add((await stream.ReadToEndAsync(Cancel))[^1]);
            }

            Assert.Equal(
                watching.Select(index => ((string?)$"stage of mash {index}", (index + 1) * 10)),
                running.Select(state => (state.GetProperty("stage").GetString(), state.GetProperty("percent").GetInt32())));
            Assert.Equal(
                watching.Select(index => index == 1 ? "failed" : $"done /mashes/{mashes[index].Id}/download"),
                ends.Select(end => end.Event == "done" ? $"done {JsonDocument.Parse(end.Data).RootElement.GetProperty("downloadUrl").GetString()}" : end.Event));
            Assert.Contains("B is silent.", ends[2].Data, StringComparison.Ordinal);
        }
        finally
        {
            streams.ForEach(stream => stream.Dispose());
        }
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task The_feed_reads_nothing_while_nobody_watches_and_once_per_tick_however_many_streams_watch(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        await using var site = await MashSiteOver.StartAsync(test);
        var (ann, song) = await AnnWithASongAsync(test);
        var first = await MashAsync(test, ann, song);
        var second = await MashAsync(test, ann, song);
        Assert.Contains("queued", await site.Kestrel.Client.GetStringAsync($"/mashes/{first.Id}/status", Cancel), StringComparison.Ordinal);
        Assert.Equal((0L, 0L, 0L), site.Feed.Counts);

        var streams = new List<EventStreamReader>();
        try
        {
            // Five pages on one mash and two on another, all of them queued: nothing changes while they watch.
            foreach (var mash in new[] { first, first, first, first, first, second, second })
            {
                var stream = await EventStreamReader.OpenAsync(site.Kestrel.Client, $"/mashes/{mash.Id}/events", Cancel);
                streams.Add(stream);
                Assert.Equal("queued", Status(await stream.NextAsync(Cancel)).GetProperty("status").GetString());
            }
            var before = site.Feed.Counts;
            var after = await Eventually.ReadAsync(() => Task.FromResult(site.Feed.Counts), counts => counts.Ticks >= before.Ticks + 5, "five more reads of the feed");

            // Each tick reads the queued jobs of both mashes in one query: not one per stream, not one per mash.
            Assert.Equal(after.Ticks - before.Ticks, after.Reads - before.Reads);
        }
        finally
        {
            streams.ForEach(stream => stream.Dispose());
        }
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Reads_that_fail_leave_the_streams_open_and_the_feed_reading_until_the_database_answers_again(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        await using var site = await MashSiteOver.StartAsync(test);
        var (ann, song) = await AnnWithASongAsync(test);
        var mash = await MashAsync(test, ann, song);
        using var stream = await EventStreamReader.OpenAsync(site.Kestrel.Client, $"/mashes/{mash.Id}/events", Cancel);
        Assert.Equal("queued", Status(await stream.NextAsync(Cancel)).GetProperty("status").GetString());

        // The jobs table away: every read of the feed fails, again and again.
        await RenameJobsAsync(test, "jobs", "jobs_away");
        var failing = await Eventually.ReadAsync(() => Task.FromResult(site.Feed.Counts), counts => counts.Failures >= 3, "three failed reads");
        await RenameJobsAsync(test, "jobs_away", "jobs");
        var job = (await test.Queue.ClaimAsync("test:1:worker-1", Cancel))!;
        await test.AttachOutputAsync(mash, song.Id);
        await test.Queue.CompleteAsync(job, null, Cancel);
        var rest = await stream.ReadToEndAsync(Cancel);

        Assert.Equal("done", rest[^1].Event);
        Assert.True(site.Feed.Counts.Ticks > failing.Ticks);
    }

    private static async Task<(string Ann, Song Song)> AnnWithASongAsync(TestLibrary test)
    {
        var ann = await test.AddUserAsync("ann");
        return (ann, await test.UploadAsync(Synth.SongWav(440, 0.3), "Alpha.wav", ann));
    }

    private static Task<Mashup> MashAsync(TestLibrary test, string owner, Song song) =>
        test.Library.Mashups.SubmitAsync(song.Id, song.Id, new MashOptions(), isPublic: true, owner, Cancel);

    private static async Task RenameJobsAsync(TestLibrary test, string from, string to)
    {
        await using var connection = await test.Store.Datastore.OpenAsync(Cancel);
        await connection.ExecuteAsync(new CommandDefinition($"ALTER TABLE {from} RENAME TO {to}", cancellationToken: Cancel));
    }

    /// <summary>The next progress event past the moment between the claim and the first heartbeat.</summary>
    private static async Task<JsonElement> NextOtherThanStartingAsync(EventStreamReader stream)
    {
        while (true)
        {
            var state = Status(await stream.NextAsync(Cancel));
            if (state.GetProperty("stage").GetString() != "starting")
            {
                return state;
            }
        }
    }

    private static JsonElement Status((string Event, string Data)? next)
    {
        Assert.Equal("progress", next?.Event);
        return JsonDocument.Parse(next!.Value.Data).RootElement.Clone();
    }

    /// <summary>MonsterMash's site over a test library, on Kestrel, with its progress feed at hand.</summary>
    private sealed class MashSiteOver : IAsyncDisposable
    {
        private readonly IAsyncDisposable _lifetime;

        private MashSiteOver(KestrelSite kestrel, IAsyncDisposable lifetime, MashProgressFeed feed) => (Kestrel, _lifetime, Feed) = (kestrel, lifetime, feed);

        public KestrelSite Kestrel { get; }

        public MashProgressFeed Feed { get; }

        public static async Task<MashSiteOver> StartAsync(TestLibrary test)
        {
            var (app, lifetime) = await MashSite.StartAsync(
                test.Library, test.Queue, new EphemeralDataProtectionProvider(), NullLoggerFactory.Instance, new MashSiteOptions(), CancellationToken.None, Cancel);
            var feed = ((MashSite.Lifetime)lifetime).Services.GetRequiredService<MashProgressFeed>();
            return new MashSiteOver(await KestrelSite.StartAsync(app), lifetime, feed);
        }

        public async ValueTask DisposeAsync()
        {
            await Kestrel.DisposeAsync();
            await _lifetime.DisposeAsync();
        }
    }
}
