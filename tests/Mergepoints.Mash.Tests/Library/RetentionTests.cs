using System.Globalization;
using Dapper;
using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Mash.Library;
using Mergepoints.Mash.Tests.Infrastructure;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing.Audio;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mergepoints.Mash.Tests.Library;

/// <summary>
/// The retention deletes songs and mashes older than its days (with the files nobody holds any more) and keeps
/// the young; it sweeps what crashes left; several processes running it at once delete everything once.
/// </summary>
public sealed class RetentionTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Songs_and_mashes_older_than_the_retention_go_with_their_files_and_the_young_stay(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind, new MashLibraryOptions { RetentionDays = 7 });
        var ann = await test.AddUserAsync("ann");
        var old = await test.UploadAsync(Synth.SongWav(440, 0.3), "old.wav", ann);
        var young = await test.UploadAsync(Synth.SongWav(220, 0.3), "young.wav", ann);
        var oldMash = await test.Library.Mashups.SubmitAsync(young.Id, young.Id, new MashOptions(), true, ann, Cancel);
        var youngMash = await test.Library.Mashups.SubmitAsync(young.Id, young.Id, new MashOptions(), true, ann, Cancel);
        await AgeAsync(test, "songs", old.Id, TimeSpan.FromDays(8));
        await AgeAsync(test, "mashups", oldMash.Id, TimeSpan.FromDays(8));

        var report = await new Retention(test.Library, NullLogger.Instance).RunAsync(Cancel);

        Assert.Equal(new RetentionReport(Mashes: 1, Songs: 1, Blobs: 0, TemporaryFiles: 0, Restored: 0), report);
        Assert.Null(await test.Library.Songs.GetAsync(old.Id, Cancel));
        Assert.NotNull(await test.Library.Songs.GetAsync(young.Id, Cancel));
        Assert.Null(await test.Library.Mashups.GetAsync(oldMash.Id, Cancel));
        Assert.NotNull(await test.Library.Mashups.GetAsync(youngMash.Id, Cancel));
        Assert.Equal([test.Library.Blobs.PathOf(young.BlobHash)], test.BlobFiles());
    }

    [Fact]
    public async Task Without_a_retention_everything_is_kept_however_old()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var song = await test.UploadAsync(Synth.SongWav(440, 0.3), "ancient.wav", "ann");
        await AgeAsync(test, "songs", song.Id, TimeSpan.FromDays(3650));

        var report = await new Retention(test.Library, NullLogger.Instance).RunAsync(Cancel);

        Assert.False(report.DidAnything);
        Assert.NotNull(await test.Library.Songs.GetAsync(song.Id, Cancel));
    }

    [Fact]
    public async Task Files_no_song_holds_and_temporary_files_a_crash_left_a_day_ago_are_swept()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var kept = await test.UploadAsync(Synth.SongWav(440, 0.3), "kept.wav", "ann");
        var orphan = await test.UploadAsync(Synth.SongWav(220, 0.3), "orphan.wav", "ann");
        // A crash between the row going and the file going.
        await using (var connection = await test.Store.Datastore.OpenAsync(Cancel))
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM songs WHERE id = @Id", new { orphan.Id }, cancellationToken: Cancel));
        }
        var stale = Path.Combine(test.Library.Blobs.TemporaryDirectory, "crashed.part");
        var fresh = Path.Combine(test.Library.Blobs.TemporaryDirectory, "uploading.part");
        await File.WriteAllTextAsync(stale, "half an upload", Cancel);
        await File.WriteAllTextAsync(fresh, "an upload under way", Cancel);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-2));

        var report = await new Retention(test.Library, NullLogger.Instance).RunAsync(Cancel);

        Assert.Equal(new RetentionReport(Mashes: 0, Songs: 0, Blobs: 1, TemporaryFiles: 1, Restored: 0), report);
        Assert.Equal([test.Library.Blobs.PathOf(kept.BlobHash)], test.BlobFiles());
        Assert.Equal([fresh], test.TemporaryFiles());
    }

    [Theory]
    // A delete moved it aside, and its process died before it asked whether a song holds it.
    [InlineData("{0}.{1}.deleting")]
    // A song's row was committed, then its process died before it renamed the sealed file into place.
    [InlineData("{1}.part")]
    public async Task A_blob_a_crash_left_in_tmp_goes_back_in_place_when_a_song_holds_it(string leftover)
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var song = await test.UploadAsync(Synth.SongWav(440, 0.3), "kept.wav", "ann");
        var blob = test.Library.Blobs.PathOf(song.BlobHash);
        var bytes = await File.ReadAllBytesAsync(blob, Cancel);
        var left = Path.Combine(test.Library.Blobs.TemporaryDirectory, string.Format(CultureInfo.InvariantCulture, leftover, song.BlobHash, Guid.NewGuid().ToString("N")));
        File.Move(blob, left);
        File.SetLastWriteTimeUtc(left, DateTime.UtcNow.AddDays(-2));

        var report = await new Retention(test.Library, NullLogger.Instance).RunAsync(Cancel);

        Assert.Equal(new RetentionReport(Mashes: 0, Songs: 0, Blobs: 0, TemporaryFiles: 0, Restored: 1), report);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(blob, Cancel));
        Assert.Empty(test.TemporaryFiles());
    }

    [Fact]
    public async Task A_blob_a_crashed_delete_left_aside_that_no_song_holds_is_removed_and_other_files_in_tmp_stay()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var song = await test.UploadAsync(Synth.SongWav(440, 0.3), "gone.wav", "ann");
        await using (var connection = await test.Store.Datastore.OpenAsync(Cancel))
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM songs WHERE id = @Id", new { song.Id }, cancellationToken: Cancel));
        }
        var aside = Path.Combine(test.Library.Blobs.TemporaryDirectory, $"{song.BlobHash}.{Guid.NewGuid():N}.deleting");
        File.Move(test.Library.Blobs.PathOf(song.BlobHash), aside);
        var stranger = Path.Combine(test.Library.Blobs.TemporaryDirectory, "README.txt");
        await File.WriteAllTextAsync(stranger, "not ours to sweep", Cancel);
        File.SetLastWriteTimeUtc(aside, DateTime.UtcNow.AddDays(-2));
        File.SetLastWriteTimeUtc(stranger, DateTime.UtcNow.AddDays(-2));

        var report = await new Retention(test.Library, NullLogger.Instance).RunAsync(Cancel);

        Assert.Equal(new RetentionReport(Mashes: 0, Songs: 0, Blobs: 0, TemporaryFiles: 1, Restored: 0), report);
        Assert.Empty(test.BlobFiles());
        Assert.Equal([stranger], test.TemporaryFiles());
    }

    [Fact]
    public async Task A_year_old_blob_being_deleted_is_no_crash_leftover_to_the_sweep_and_goes_back_when_a_song_holds_it()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var song = await test.UploadAsync(Synth.SongWav(440, 0.3), "old.wav", "ann");
        var blob = test.Library.Blobs.PathOf(song.BlobHash);
        File.SetLastWriteTimeUtc(blob, DateTime.UtcNow.AddDays(-365));
        RetentionReport? during = null;

        // Another process's retention runs while the delete has the blob aside; then the delete learns a song holds it.
        var deleted = await test.Library.Blobs.DeleteAsync(song.BlobHash, async token =>
        {
            during = await new Retention(test.Library, NullLogger.Instance).RunAsync(token);
            return false;
        }, Cancel);

        Assert.False(deleted);
        Assert.Equal(new RetentionReport(Mashes: 0, Songs: 0, Blobs: 0, TemporaryFiles: 0, Restored: 0), during);
        Assert.True(File.Exists(blob));
        Assert.Empty(test.TemporaryFiles());
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Several_processes_running_it_at_once_delete_each_thing_once(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind, new MashLibraryOptions { RetentionDays = 1 });
        var ann = await test.AddUserAsync("ann");
        for (var i = 0; i < 6; i++)
        {
            var song = await test.UploadAsync(Synth.SongWav(200 + 40 * i, 0.2), $"{i}.wav", ann);
            await AgeAsync(test, "songs", song.Id, TimeSpan.FromDays(2));
        }
        var others = Enumerable.Range(0, 3)
            .Select(_ => new MashLibrary(test.Store.Datastore, test.Queue, test.DataDirectory, new MashLibraryOptions { RetentionDays = 1 })).ToList();

        var reports = await Task.WhenAll(others.Select(library => Task.Run(() => new Retention(library, NullLogger.Instance).RunAsync(Cancel), Cancel)));

        Assert.Equal(6, reports.Sum(report => report.Songs));
        Assert.Equal(0, await test.Library.Songs.CountAsync(Cancel));
        Assert.Empty(test.BlobFiles());
    }

    private static async Task AgeAsync(TestLibrary test, string table, string id, TimeSpan by)
    {
        await using var connection = await test.Store.Datastore.OpenAsync(Cancel);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE {table} SET created_at = @at WHERE id = @id",
            new { at = DateTimeOffset.UtcNow.Subtract(by).ToUnixTimeMilliseconds(), id }, cancellationToken: Cancel));
    }
}
