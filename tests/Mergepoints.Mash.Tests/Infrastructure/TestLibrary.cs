using Dapper;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Middleware.Data;
using Mergepoints.Middleware.Users;
using Mergepoints.Testing;

namespace Mergepoints.Mash.Tests.Infrastructure;

/// <summary>
/// A <see cref="MashLibrary"/> over a fresh datastore of either kind (with the accounts', the jobs' and the
/// library's tables, as the host migrates them) and a data directory of its own, and what tests ask of it.
/// </summary>
public sealed class TestLibrary : IAsyncDisposable
{
    public const int Rate = 44100;

    private readonly TempDirectory _directory = new();

    private TestLibrary(TestDatastore store, MashLibraryOptions options, JobsOptions jobs)
    {
        Store = store;
        Queue = new JobQueue(store.Datastore, jobs);
        Library = new MashLibrary(store.Datastore, Queue, DataDirectory, options);
    }

    public TestDatastore Store { get; }

    public JobQueue Queue { get; }

    public MashLibrary Library { get; }

    public string DataDirectory => Path.Combine(_directory.Path, "data");

    private string Blobs => Path.Combine(DataDirectory, "blobs");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<TestLibrary> CreateAsync(DatastoreKind kind, MashLibraryOptions? options = null, JobsOptions? jobs = null)
    {
        var store = await Databases.CreateWithAccountsAsync(kind);
        var migrator = new Migrator(store.Datastore);
        await migrator.ApplyAsync(JobsSchema.Owner, JobsSchema.Migrations, Cancel);
        await migrator.ApplyAsync(MashSchema.Owner, MashSchema.Migrations, Cancel);
        return new TestLibrary(store, options ?? new MashLibraryOptions(), jobs ?? new JobsOptions());
    }

    /// <summary>A user, for the mashes' owner (and the owner's name the gallery shows).</summary>
    public async Task<string> AddUserAsync(string name) =>
        (await new UserStore(Store.Datastore).CreateAsync(name, "a fine password", isAdmin: false, Cancel))!.Id;

    public Task<Song> UploadAsync(byte[] bytes, string fileName, string ownerUserId) =>
        Library.Uploads.AcceptAsync(new MemoryStream(bytes), fileName, ownerUserId, Cancel);

    /// <summary>What a worker does when it has made the mash: records <paramref name="outputSongId"/> as its output.</summary>
    public async Task AttachOutputAsync(Mashup mashup, string outputSongId)
    {
        await using var connection = await Store.Datastore.OpenAsync(Cancel);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE mashups SET output_song_id = @outputSongId WHERE id = @Id", new { outputSongId, mashup.Id }, cancellationToken: Cancel));
    }

    /// <summary>Every file kept as a blob (not the temporary ones).</summary>
    public IReadOnlyList<string> BlobFiles() => Directory.Exists(Blobs)
        ? [.. Directory.EnumerateFiles(Blobs, "*", SearchOption.AllDirectories).Where(file => !file.StartsWith(TemporaryDirectory, StringComparison.Ordinal)).Order(StringComparer.Ordinal)]
        : [];

    /// <summary>Whatever is left under <c>blobs/tmp</c>.</summary>
    public IReadOnlyList<string> TemporaryFiles() => Directory.Exists(TemporaryDirectory) ? [.. Directory.EnumerateFiles(TemporaryDirectory)] : [];

    private string TemporaryDirectory => Path.Combine(Blobs, "tmp") + Path.DirectorySeparatorChar;

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}
