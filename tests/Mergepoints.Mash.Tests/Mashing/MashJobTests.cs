using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Mash.Mashing;
using Mergepoints.Mash.Tests.Infrastructure;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;
using Mergepoints.Testing.Audio;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mergepoints.Mash.Tests.Mashing;

/// <summary>
/// The <c>mash</c> job end to end, with the real engine on short synthesized songs: the output is a song of its
/// own, playable and as long as A; running it again changes nothing; a mash deleted before or during the run
/// leaves nothing; a song that is gone or unreadable fails the job at once with a message for its owner.
/// </summary>
public sealed class MashJobTests
{
    private static readonly JobsOptions Fast = new() { LeaseSeconds = 5, MaxAttempts = 3, BackoffSeconds = 0, PollMilliseconds = 50, StopGraceSeconds = 0 };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_worker_makes_a_playable_output_song_as_long_as_A_reporting_each_stage(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind, jobs: Fast);
        var ann = await test.AddUserAsync("ann");
        var a = await test.UploadAsync(Synth.SongWav(440, 2), "Alpha.wav", ann);
        var b = await test.UploadAsync(Synth.SongWav(220, 1.5), "Beta.wav", ann);
        var stages = new List<string>();
        var handler = new MashJob(test.Library, NullLogger.Instance);
        var handlers = new JobHandlers().Add(MashJob.Kind, (job, progress, token) => handler.RunAsync(job, new Recorded(progress, stages), token));
        await using var pool = new JobWorkerPool(test.Queue, handlers, NullLoggerFactory.Instance, workers: 1);
        await pool.StartAsync(Cancel);

        var mashup = await test.Library.Mashups.SubmitAsync(a.Id, b.Id, new MashOptions(), isPublic: true, ann, Cancel);
        var done = await Eventually.ReadAsync(
            () => test.Library.Mashups.GetAsync(mashup.Id, Cancel), m => m!.Status is JobStatus.Succeeded or JobStatus.Failed, "the mash finishing");

        Assert.Equal((JobStatus.Succeeded, null, 1.0), (done!.Status, done.Error, done.Progress));
        var output = (await test.Library.Songs.GetAsync(done.OutputSongId!, Cancel))!;
        Assert.Equal(("Alpha × Beta", SongOrigin.Mash, ann, "audio/wav"), (output.Title, output.Origin, output.OwnerUserId, output.ContentType));
        var (original, mash) = (await ReadAsync(test, a), await ReadAsync(test, output));
        Assert.Equal((original.Length, original.SampleRate, original.ChannelCount), (mash.Length, mash.SampleRate, mash.ChannelCount));
        Assert.Equal(mash.Duration, output.DurationSeconds);
        Assert.Contains(mash.Channels[0], sample => sample != 0);
        Assert.Equal(["analysing A", "analysing B", "matching", "rendering"], stages.Distinct());
        Assert.Equal($$"""{"song":"{{output.Id}}"}""", (await test.Queue.GetAsync(done.JobId!, Cancel))!.Result);
        Assert.Empty(test.TemporaryFiles());
    }

    [Fact]
    public async Task Running_a_finished_mash_again_changes_nothing()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var (mashup, job) = await SubmitAsync(test);
        var handler = new MashJob(test.Library, NullLogger.Instance);

        var first = await handler.RunAsync(job, new Progress<JobProgress>(), Cancel);
        var blobs = test.BlobFiles();
        var second = await handler.RunAsync(job, new Progress<JobProgress>(), Cancel);

        Assert.Equal(first, second);
        Assert.Equal(3, await test.Library.Songs.CountAsync(Cancel));
        Assert.Equal(blobs, test.BlobFiles());
        Assert.NotNull((await test.Library.Mashups.GetAsync(mashup.Id, Cancel))!.OutputSongId);
    }

    [Fact]
    public async Task A_worker_that_finishes_second_answers_with_the_first_ones_output_and_keeps_nothing_of_its_own()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var (mashup, job) = await SubmitAsync(test);
        var handler = new MashJob(test.Library, NullLogger.Instance);
        // Another worker took the job over (this one's lease ran out) and finishes while this one renders.
        var other = new RunWhenRendering(() => handler.RunAsync(job, new Progress<JobProgress>(), CancellationToken.None));

        var result = await handler.RunAsync(job, other, Cancel);

        var output = (await test.Library.Mashups.GetAsync(mashup.Id, Cancel))!.OutputSongId;
        Assert.Equal($$"""{"song":"{{output}}"}""", other.Result);
        Assert.Equal(other.Result, result);
        Assert.Equal([output], (await test.Library.Songs.ListAsync(1, 10, Cancel)).Items.Where(song => song.Origin == SongOrigin.Mash).Select(song => song.Id));
        Assert.Equal(3, test.BlobFiles().Count);
        Assert.Empty(test.TemporaryFiles());
    }

    [Fact]
    public async Task A_finished_mash_whose_output_file_never_arrived_is_made_again()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var (mashup, job) = await SubmitAsync(test);
        var handler = new MashJob(test.Library, NullLogger.Instance);
        await handler.RunAsync(job, new Progress<JobProgress>(), Cancel);
        var lost = (await test.Library.Mashups.GetAsync(mashup.Id, Cancel))!.OutputSongId!;
        // A crash between the output song's row and the rename of its file.
        File.Delete(test.Library.Blobs.PathOf((await test.Library.Songs.GetAsync(lost, Cancel))!.BlobHash));

        await handler.RunAsync(job, new Progress<JobProgress>(), Cancel);

        var again = (await test.Library.Mashups.GetAsync(mashup.Id, Cancel))!.OutputSongId!;
        Assert.NotEqual(lost, again);
        Assert.Null(await test.Library.Songs.GetAsync(lost, Cancel));
        Assert.True(File.Exists(test.Library.Blobs.PathOf((await test.Library.Songs.GetAsync(again, Cancel))!.BlobHash)));
        Assert.Equal(3, await test.Library.Songs.CountAsync(Cancel));
    }

    [Fact]
    public async Task A_mash_deleted_before_its_job_runs_is_nothing_to_do()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var (mashup, job) = await SubmitAsync(test);
        var blobs = test.BlobFiles();
        await test.Library.Mashups.DeleteAsync(mashup.Id, Cancel);

        var result = await new MashJob(test.Library, NullLogger.Instance).RunAsync(job, new Progress<JobProgress>(), Cancel);

        Assert.Null(result);
        Assert.Equal(2, await test.Library.Songs.CountAsync(Cancel));
        Assert.Equal(blobs, test.BlobFiles());
    }

    [Fact]
    public async Task A_mash_deleted_while_it_is_made_keeps_no_output()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var (mashup, job) = await SubmitAsync(test);
        var blobs = test.BlobFiles();
        var deleting = new DeleteWhenRendering(test.Library, mashup.Id);

        var result = await new MashJob(test.Library, NullLogger.Instance).RunAsync(job, deleting, Cancel);

        Assert.True(deleting.Deleted);
        Assert.Null(result);
        Assert.Equal(2, await test.Library.Songs.CountAsync(Cancel));
        Assert.Equal(blobs, test.BlobFiles());
        Assert.Empty(test.TemporaryFiles());
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_song_deleted_before_the_mash_fails_the_job_at_once_saying_which(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind, jobs: Fast);
        var (mashup, _) = await SubmitAsync(test);
        await test.Library.Songs.DeleteAsync(mashup.SongBId, Cancel);

        var failed = await RunToTheEndAsync(test, mashup);

        Assert.Equal((JobStatus.Failed, "Song B was deleted before the mash could be made."), (failed.Status, failed.Error));
        Assert.Equal(1, (await test.Queue.GetAsync(mashup.JobId!, Cancel))!.Attempts);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task An_unreadable_song_fails_the_job_at_once_naming_the_song_and_no_path(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind, jobs: Fast);
        var (mashup, _) = await SubmitAsync(test);
        var songA = (await test.Library.Songs.GetAsync(mashup.SongAId, Cancel))!;
        var blob = test.Library.Blobs.PathOf(songA.BlobHash);
        var bytes = await File.ReadAllBytesAsync(blob, Cancel);
        await File.WriteAllBytesAsync(blob, bytes[..100], Cancel);

        var failed = await RunToTheEndAsync(test, mashup);

        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.StartsWith("song A \"Alpha\": truncated WAV file: ", failed.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await test.Queue.GetAsync(mashup.JobId!, Cancel))!.Attempts);
        Assert.Empty(test.TemporaryFiles());
    }

    [Fact]
    public async Task A_mash_that_needs_ffmpeg_where_it_is_missing_is_retried_and_fails_naming_the_song_and_no_path()
    {
        using var directory = new TempDirectory();
        var missing = Path.Combine(directory.Path, "no-ffmpeg-here");
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite, new MashLibraryOptions { FfmpegPath = missing }, Fast);
        var (mashup, _) = await SubmitAsync(test);
        var songA = (await test.Library.Songs.GetAsync(mashup.SongAId, Cancel))!;
        // Song A as an MP3 frame: only ffmpeg reads it, and ffmpeg is not there (yet: an admin may install it).
        await File.WriteAllBytesAsync(test.Library.Blobs.PathOf(songA.BlobHash), [0xFF, 0xFB, 0x90, 0x64, .. new byte[400]], Cancel);

        var failed = await RunToTheEndAsync(test, mashup);

        Assert.Equal(
            (JobStatus.Failed, $"cannot decode song A \"Alpha\": this needs ffmpeg, which is not installed (cannot run '{missing}')"),
            (failed.Status, failed.Error));
        Assert.Equal(Fast.MaxAttempts, (await test.Queue.GetAsync(mashup.JobId!, Cancel))!.Attempts);
        Assert.Empty(test.TemporaryFiles());
    }

    private static async Task<(Mashup Mashup, Job Job)> SubmitAsync(TestLibrary test)
    {
        var ann = await test.AddUserAsync("ann");
        var a = await test.UploadAsync(Synth.SongWav(440, 1.5), "Alpha.wav", ann);
        var b = await test.UploadAsync(Synth.SongWav(220, 1), "Beta.wav", ann);
        var mashup = await test.Library.Mashups.SubmitAsync(a.Id, b.Id, new MashOptions(), isPublic: true, ann, Cancel);
        return (mashup, (await test.Queue.GetAsync(mashup.JobId!, Cancel))!);
    }

    private static async Task<Mashup> RunToTheEndAsync(TestLibrary test, Mashup mashup)
    {
        var handlers = new JobHandlers().Add(MashJob.Kind, new MashJob(test.Library, NullLogger.Instance).RunAsync);
        await using var pool = new JobWorkerPool(test.Queue, handlers, NullLoggerFactory.Instance, workers: 1);
        await pool.StartAsync(Cancel);
        return (await Eventually.ReadAsync(
            () => test.Library.Mashups.GetAsync(mashup.Id, Cancel), m => m!.Status is JobStatus.Succeeded or JobStatus.Failed, "the mash ending"))!;
    }

    private static async Task<AudioBuffer> ReadAsync(TestLibrary test, Song song) =>
        WavReader.Read(await File.ReadAllBytesAsync(test.Library.Blobs.PathOf(song.BlobHash), Cancel));

    private sealed class Recorded(IProgress<JobProgress> inner, List<string> stages) : IProgress<JobProgress>
    {
        public void Report(JobProgress value)
        {
            lock (stages)
            {
                stages.Add(value.Stage);
            }
            inner.Report(value);
        }
    }

    /// <summary>A second run of the same job, start to end, while the first renders.</summary>
    private sealed class RunWhenRendering(Func<Task<string?>> run) : IProgress<JobProgress>
    {
        private int _started;

        public string? Result { get; private set; }

        public void Report(JobProgress value)
        {
            if (value.Stage == "rendering" && Interlocked.Exchange(ref _started, 1) == 0)
            {
                Result = run().GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>The owner deleting the mash while the engine renders it.</summary>
    private sealed class DeleteWhenRendering(MashLibrary library, string mashupId) : IProgress<JobProgress>
    {
        public bool Deleted { get; private set; }

        public void Report(JobProgress value)
        {
            if (value.Stage == "rendering" && !Deleted)
            {
                Deleted = library.Mashups.DeleteAsync(mashupId, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }
}
