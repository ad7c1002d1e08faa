using Dapper;
using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Mash.Mashing;
using Mergepoints.Mash.Tests.Infrastructure;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing.Audio;

namespace Mergepoints.Mash.Tests.Library;

/// <summary>
/// Mashes beside their jobs: asked for (a row and a queued job), followed through the job's state, listed per
/// owner and in the gallery, and taken back with their job and output.
/// </summary>
public sealed class MashupStoreTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_submitted_mash_is_queued_with_its_job_its_settings_the_titles_and_the_owners_name(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        var ann = await test.AddUserAsync("ann");
        var (a, b) = (await test.UploadAsync(Synth.SongWav(440, 0.3), "Alpha.wav", ann), await test.UploadAsync(Synth.SongWav(220, 0.3), "Beta.wav", ann));
        var options = new MashOptions { Mix = 0.75, Mode = MashMode.Smooth, Unit = MashUnit.Beat, Envelope = false };

        var mashup = await test.Library.Mashups.SubmitAsync(a.Id, b.Id, options, isPublic: false, ann, Cancel);

        var job = await test.Queue.GetAsync(mashup.JobId!, Cancel);
        Assert.Equal((MashJob.Kind, $$"""{"mashup":"{{mashup.Id}}"}""", ann, JobStatus.Queued), (job!.Kind, job.Payload, job.OwnerUserId, job.Status));
        Assert.Equal(mashup, await test.Library.Mashups.GetAsync(mashup.Id, Cancel));
        Assert.Equal((a.Id, b.Id, "Alpha", "Beta"), (mashup.SongAId, mashup.SongBId, mashup.SongATitle, mashup.SongBTitle));
        Assert.Equal((options, false, ann, "ann"), (mashup.Options, mashup.IsPublic, mashup.OwnerUserId, mashup.OwnerName));
        Assert.Equal((JobStatus.Queued, 0.0, null, null), (mashup.Status, mashup.Progress, mashup.Error, mashup.OutputSongId));
        Assert.Null(await test.Library.Mashups.GetAsync("no-such-mash", Cancel));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_mash_shows_its_jobs_progress_and_its_failure_only_once_it_has_failed_for_good(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind, jobs: new JobsOptions { MaxAttempts = 2, BackoffSeconds = 0 });
        var ann = await test.AddUserAsync("ann");
        var song = await test.UploadAsync(Synth.SongWav(440, 0.3), "a.wav", ann);
        var mashup = await test.Library.Mashups.SubmitAsync(song.Id, song.Id, new MashOptions(), true, ann, Cancel);

        var claimed = (await test.Queue.ClaimAsync("test:1:worker-1", Cancel))!;
        await test.Queue.HeartbeatAsync(claimed, new JobProgress("matching", 0.85), Cancel);
        var running = await test.Library.Mashups.GetAsync(mashup.Id, Cancel);
        await test.Queue.FailAsync(claimed, "B is silent.", retry: true, Cancel);
        var retrying = await test.Library.Mashups.GetAsync(mashup.Id, Cancel);
        await test.Queue.FailAsync((await test.Queue.ClaimAsync("test:1:worker-1", Cancel))!, "B is still silent.", retry: true, Cancel);
        var failed = await test.Library.Mashups.GetAsync(mashup.Id, Cancel);

        Assert.Equal((JobStatus.Running, "matching", 0.85, null), (running!.Status, running.ProgressStage, running.Progress, running.Error));
        Assert.Equal((JobStatus.Queued, null), (retrying!.Status, retrying.Error));
        Assert.Equal((JobStatus.Failed, "B is still silent."), (failed!.Status, failed.Error));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Asking_for_a_song_that_is_not_there_or_for_impossible_settings_is_refused_and_records_nothing(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        var ann = await test.AddUserAsync("ann");
        var song = await test.UploadAsync(Synth.SongWav(440, 0.3), "a.wav", ann);

        var missing = await Assert.ThrowsAsync<KeyNotFoundException>(() => test.Library.Mashups.SubmitAsync(song.Id, "gone", new MashOptions(), true, ann, Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => test.Library.Mashups.SubmitAsync(song.Id, song.Id, new MashOptions { Mix = 2 }, true, ann, Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => test.Library.Mashups.SubmitAsync(song.Id, song.Id, new MashOptions { Mode = MashMode.Classic, Unit = MashUnit.Beat }, true, ann, Cancel));

        Assert.Equal("Song B (gone) is not in the library.", missing.Message);
        Assert.Equal(0, (await test.Library.Mashups.ListByOwnerAsync(ann, 1, 10, Cancel)).Total);
        Assert.Empty((await test.Queue.ListAsync(new JobQuery(), Cancel)).Jobs);
    }

    [Fact]
    public async Task A_mash_that_cannot_be_recorded_leaves_no_job_behind()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var ann = await test.AddUserAsync("ann");
        var song = await test.UploadAsync(Synth.SongWav(440, 0.3), "a.wav", ann);
        await using (var connection = await test.Store.Datastore.OpenAsync(Cancel))
        {
            // The mash's insert fails after its job's: a full disk, a lost connection.
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TRIGGER refuse_mashups BEFORE INSERT ON mashups BEGIN SELECT RAISE(ABORT, 'disk full'); END", cancellationToken: Cancel));
        }

        await Assert.ThrowsAnyAsync<Exception>(() => test.Library.Mashups.SubmitAsync(song.Id, song.Id, new MashOptions(), true, ann, Cancel));

        Assert.Empty((await test.Queue.ListAsync(new JobQuery(), Cancel)).Jobs);
        Assert.Equal(0, (await test.Library.Mashups.ListByOwnerAsync(ann, 1, 10, Cancel)).Total);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task My_mashes_are_mine_newest_first_and_the_gallery_holds_only_public_finished_ones(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        var (ann, bob) = (await test.AddUserAsync("ann"), await test.AddUserAsync("bob"));
        var song = await test.UploadAsync(Synth.SongWav(440, 0.3), "a.wav", ann);
        var mashes = new List<Mashup>();
        foreach (var (owner, isPublic) in new[] { (ann, true), (ann, false), (bob, true), (ann, true) })
        {
            mashes.Add(await test.Library.Mashups.SubmitAsync(song.Id, song.Id, new MashOptions(), isPublic, owner, Cancel));
        }
        // The first three are done (as a worker leaves them); the last is still queued.
        foreach (var mashup in mashes.Take(3))
        {
            await FinishAsync(test, mashup, song.Id);
        }

        var annsFirstPage = await test.Library.Mashups.ListByOwnerAsync(ann, 1, 2, Cancel);
        var annsSecondPage = await test.Library.Mashups.ListByOwnerAsync(ann, 2, 2, Cancel);
        var gallery = await test.Library.Mashups.ListGalleryAsync(1, 10, Cancel);

        Assert.Equal([mashes[3].Id, mashes[1].Id], annsFirstPage.Items.Select(m => m.Id));
        Assert.Equal([mashes[0].Id], annsSecondPage.Items.Select(m => m.Id));
        Assert.Equal((3L, 2), (annsFirstPage.Total, annsFirstPage.PageCount));
        Assert.Equal([mashes[2].Id, mashes[0].Id], gallery.Items.Select(m => m.Id));
        Assert.Equal(["bob", "ann"], gallery.Items.Select(m => m.OwnerName));
        Assert.Equal(2, gallery.Total);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_mash_with_its_output_is_done_and_in_the_gallery_even_when_its_worker_died_before_telling_the_queue(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind, jobs: new JobsOptions { MaxAttempts = 1 });
        var (_, output, mashup) = await SubmitWithOutputSongAsync(test);
        // The worker attached the output on its last attempt, then died: the queue fails the job when the lease runs out.
        var claimed = (await test.Queue.ClaimAsync("test:1:worker-1", Cancel))!;
        await test.AttachOutputAsync(mashup, output.Id);
        await test.Queue.FailAsync(claimed, "Its worker stopped answering during the last attempt.", retry: false, Cancel);

        var done = (await test.Library.Mashups.GetAsync(mashup.Id, Cancel))!;

        Assert.Equal((JobStatus.Succeeded, 1.0, null, output.Id), (done.Status, done.Progress, done.Error, done.OutputSongId));
        Assert.Equal([mashup.Id], (await test.Library.Mashups.ListGalleryAsync(1, 10, Cancel)).Items.Select(m => m.Id));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_public_mash_whose_output_song_is_gone_is_not_in_the_gallery(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        var (_, output, mashup) = await SubmitWithOutputSongAsync(test);
        await FinishAsync(test, mashup, output.Id);

        await test.Library.Songs.DeleteAsync(output.Id, Cancel);
        var gallery = await test.Library.Mashups.ListGalleryAsync(1, 10, Cancel);

        Assert.Equal((0L, 0), (gallery.Total, gallery.Items.Count));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Deleting_a_queued_mash_cancels_its_job(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        var ann = await test.AddUserAsync("ann");
        var song = await test.UploadAsync(Synth.SongWav(440, 0.3), "a.wav", ann);
        var mashup = await test.Library.Mashups.SubmitAsync(song.Id, song.Id, new MashOptions(), true, ann, Cancel);

        Assert.True(await test.Library.Mashups.DeleteAsync(mashup.Id, Cancel));
        Assert.False(await test.Library.Mashups.DeleteAsync(mashup.Id, Cancel));

        Assert.Null(await test.Library.Mashups.GetAsync(mashup.Id, Cancel));
        Assert.Equal(JobStatus.Cancelled, (await test.Queue.GetAsync(mashup.JobId!, Cancel))!.Status);
        Assert.NotNull(await test.Library.Songs.GetAsync(song.Id, Cancel));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Deleting_a_finished_mash_deletes_its_output_song_and_blob_but_not_the_songs_it_was_made_from(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        var (source, output, mashup) = await SubmitWithOutputSongAsync(test);
        await FinishAsync(test, mashup, output.Id);

        Assert.True(await test.Library.Mashups.DeleteAsync(mashup.Id, Cancel));

        Assert.Null(await test.Library.Songs.GetAsync(output.Id, Cancel));
        Assert.Equal([test.Library.Blobs.PathOf(source.BlobHash)], test.BlobFiles());
        Assert.Equal(JobStatus.Succeeded, (await test.Queue.GetAsync(mashup.JobId!, Cancel))!.Status);
    }

    /// <summary>Ann's public mash of a song with itself, and another song of hers to be its output.</summary>
    private static async Task<(Song Source, Song Output, Mashup Mashup)> SubmitWithOutputSongAsync(TestLibrary test)
    {
        var ann = await test.AddUserAsync("ann");
        var source = await test.UploadAsync(Synth.SongWav(440, 0.3), "a.wav", ann);
        var output = await test.UploadAsync(Synth.SongWav(660, 0.3), "out.wav", ann);
        return (source, output, await test.Library.Mashups.SubmitAsync(source.Id, source.Id, new MashOptions(), true, ann, Cancel));
    }

    /// <summary>What a worker leaves of a finished mash: the output attached and the job succeeded.</summary>
    private static async Task FinishAsync(TestLibrary test, Mashup mashup, string outputSongId)
    {
        await test.AttachOutputAsync(mashup, outputSongId);
        var claimed = (await test.Queue.ClaimAsync("test:1:worker-1", Cancel))!;
        Assert.Equal(mashup.JobId, claimed.Id);
        await test.Queue.CompleteAsync(claimed, null, Cancel);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Many_mashes_are_read_at_once_past_one_querys_worth_of_ids_and_missing_ids_are_left_out(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        var ann = await test.AddUserAsync("ann");
        var song = await test.UploadAsync(Synth.SongWav(440, 0.3), "Alpha.wav", ann);
        var submitted = new List<Mashup>();
        for (var i = 0; i < JobQueue.MaxIdsPerQuery + 2; i++)
        {
            submitted.Add(await test.Library.Mashups.SubmitAsync(song.Id, song.Id, new MashOptions(), isPublic: false, ann, Cancel));
        }
        var running = (await test.Queue.ClaimAsync("test:1:worker-1", Cancel))!;
        await test.Queue.HeartbeatAsync(running, new JobProgress("matching", 0.5), Cancel);

        var read = await test.Library.Mashups.GetManyAsync([.. submitted.Select(mash => mash.Id), "no-such-mash", submitted[0].Id], Cancel);

        Assert.Equal(submitted.Select(mash => mash.Id).Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
        var runningMash = submitted.Single(mash => mash.JobId == running.Id);
        Assert.Equal(await test.Library.Mashups.GetAsync(runningMash.Id, Cancel), read[runningMash.Id]);
        Assert.Equal((JobStatus.Running, "matching", "Alpha"), (read[runningMash.Id].Status, read[runningMash.Id].ProgressStage, read[runningMash.Id].SongATitle));
        Assert.Equal(submitted[^1], read[submitted[^1].Id]);
        Assert.Empty(await test.Library.Mashups.GetManyAsync(["no-such-mash"], Cancel));
    }
}
