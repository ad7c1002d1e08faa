using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;
using Mergepoints.Testing.Audio;

namespace Mergepoints.Host.Tests.Jobs;

/// <summary>
/// <c>mergepoints worker</c> as real processes sharing one datastore: a worker makes mashes, a worker killed
/// outright mid-job loses the job to the other once its lease runs out, and a worker asked to stop exits 0.
/// </summary>
public sealed class WorkerProcessTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_job_whose_worker_process_is_killed_mid_job_is_finished_by_the_other_worker(DatastoreKind kind)
    {
        await using var postgres = kind == DatastoreKind.Postgres ? await Databases.CreateAsync(kind) : null;
        var data = Path.Combine(_directory.Path, "data");
        var environment = new Dictionary<string, string> { ["Jobs__LeaseSeconds"] = "2", ["Jobs__PollMilliseconds"] = "100" };
        if (postgres?.PostgresConnectionString is { } connectionString)
        {
            environment["Datastore__Postgres"] = connectionString;
        }
        await using var first = await HostProcess.StartWorkerAsync(data, workers: 1, environment);
        await using var second = await HostProcess.StartWorkerAsync(data, workers: 1, environment);
        var queue = new JobQueue(postgres?.Datastore ?? new Datastore(null, Path.Combine(data, "mergepoints.db"), TimeSpan.FromSeconds(10)), new JobsOptions());

        var job = await queue.EnqueueAsync(SleepJob.Kind, """{"seconds": 3}""", null, Cancel);
        var running = await WaitForAsync(queue, job.Id, j => j is { Status: JobStatus.Running, Progress: > 0 });
        var holder = new[] { first, second }.Single(worker => running.LeaseOwner!.Contains($":{worker.Id}:", StringComparison.Ordinal));
        var survivor = holder == first ? second : first;
        await holder.KillAsync();
        var done = await WaitForAsync(queue, job.Id, j => j.Status != JobStatus.Running);

        Assert.Equal((JobStatus.Succeeded, 2, """{"slept": 3}"""), (done.Status, done.Attempts, done.Result));
        Assert.Contains($":{survivor.Id}:worker-1", done.LeaseOwner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_process_makes_the_mash_a_user_asked_for()
    {
        var data = Path.Combine(_directory.Path, "data");
        await using var worker = await HostProcess.StartWorkerAsync(data, workers: 1, new Dictionary<string, string> { ["Jobs__PollMilliseconds"] = "100" });
        var datastore = new Datastore(null, Path.Combine(data, "mergepoints.db"), TimeSpan.FromSeconds(10));
        var library = new MashLibrary(datastore, new JobQueue(datastore, new JobsOptions()), data, new MashLibraryOptions());
        var (a, b) = (await UploadAsync(library, 440, 2, "a.wav"), await UploadAsync(library, 220, 1, "b.wav"));

        var mashup = await library.Mashups.SubmitAsync(a.Id, b.Id, new MashOptions(), isPublic: true, "ann", Cancel);
        var done = await Eventually.ReadAsync(async () => (await library.Mashups.GetAsync(mashup.Id, Cancel))!, m => m.Status is JobStatus.Succeeded or JobStatus.Failed, "the mash");

        Assert.Equal((JobStatus.Succeeded, null), (done.Status, done.Error));
        var output = (await library.Songs.GetAsync(done.OutputSongId!, Cancel))!;
        Assert.Equal(WavReader.Read(await File.ReadAllBytesAsync(library.Blobs.PathOf(a.BlobHash), Cancel)).Length,
            WavReader.Read(await File.ReadAllBytesAsync(library.Blobs.PathOf(output.BlobHash), Cancel)).Length);
        Assert.Contains("running mash, sleep", worker.Output, StringComparison.Ordinal);
    }

    private static Task<Song> UploadAsync(MashLibrary library, double hertz, double seconds, string name) => library.Uploads.AcceptAsync(
        new MemoryStream(Synth.SongWav(hertz, seconds)),
        name, "ann", Cancel);

    [Fact]
    public async Task A_worker_asked_to_stop_gives_its_job_back_and_exits_0()
    {
        var data = Path.Combine(_directory.Path, "data");
        var worker = await HostProcess.StartWorkerAsync(data, workers: 1, new Dictionary<string, string> { ["Jobs__StopGraceSeconds"] = "0" });
        await using (worker)
        {
            var queue = new JobQueue(new Datastore(null, Path.Combine(data, "mergepoints.db"), TimeSpan.FromSeconds(10)), new JobsOptions());
            var job = await queue.EnqueueAsync(SleepJob.Kind, """{"seconds": 600}""", null, Cancel);
            await WaitForAsync(queue, job.Id, j => j.Status == JobStatus.Running);

            worker.Terminate();

            Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            var released = (await queue.GetAsync(job.Id, Cancel))!;
            Assert.Equal((JobStatus.Queued, 0), (released.Status, released.Attempts));
        }
    }

    [Fact]
    public async Task Fewer_than_one_worker_is_a_usage_error()
    {
        var (exitCode, _, error) = await HostProcess.RunAsync("worker", "--workers", "0", "--data", Path.Combine(_directory.Path, "data"));

        Assert.Equal(2, exitCode);
        Assert.Equal("mergepoints: --workers must be 1 or more", error.Trim());
    }

    private static Task<Job> WaitForAsync(JobQueue queue, string id, Func<Job, bool> done) => Eventually.ReadAsync(
        async () => (await queue.GetAsync(id, Cancel))!, done, $"job {id} getting there");

    public void Dispose() => _directory.Dispose();
}
