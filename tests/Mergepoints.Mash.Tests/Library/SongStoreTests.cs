using Dapper;
using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Mash.Library;
using Mergepoints.Mash.Tests.Infrastructure;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing.Audio;

namespace Mergepoints.Mash.Tests.Library;

/// <summary>The songs table: got, listed newest first a page at a time, counted, deleted with its blob when no other song holds it.</summary>
public sealed class SongStoreTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_song_reads_back_as_it_was_added(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        var owner = await test.AddUserAsync("ann");
        var added = await test.UploadAsync(Synth.SongWav(440, 1), "Tune.wav", owner);

        var song = await test.Library.Songs.GetAsync(added.Id, Cancel);

        Assert.Equal(added, song);
        Assert.Equal(("Tune", SongOrigin.Upload, "audio/wav", owner, 0L), (song!.Title, song.Origin, song.ContentType, song.OwnerUserId, song.PlayCount));
        Assert.Equal(1.0, song.DurationSeconds);
        Assert.Null(await test.Library.Songs.GetAsync("no-such-song", Cancel));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task The_output_of_a_mash_that_is_not_public_is_listed_for_its_owner_only(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        var (ann, bob) = (await test.AddUserAsync("ann"), await test.AddUserAsync("bob"));
        var source = await test.UploadAsync(Synth.SongWav(440, 0.3), "source.wav", ann);
        var unlisted = await test.UploadAsync(Synth.SongWav(550, 0.3), "unlisted.wav", ann);
        var listed = await test.UploadAsync(Synth.SongWav(660, 0.3), "listed.wav", ann);
        await test.AttachOutputAsync(await test.Library.Mashups.SubmitAsync(source.Id, source.Id, new MashOptions(), isPublic: false, ann, Cancel), unlisted.Id);
        await test.AttachOutputAsync(await test.Library.Mashups.SubmitAsync(source.Id, source.Id, new MashOptions(), isPublic: true, ann, Cancel), listed.Id);

        var forAnn = await test.Library.Songs.ListVisibleAsync(ann, 1, 10, Cancel);
        var forBob = await test.Library.Songs.ListVisibleAsync(bob, 1, 10, Cancel);
        var forNobody = await test.Library.Songs.ListVisibleAsync(null, 1, 10, Cancel);

        Assert.Equal(("listed,unlisted,source", 3L), (string.Join(',', forAnn.Items.Select(s => s.Title)), forAnn.Total));
        Assert.Equal(("listed,source", 2L), (string.Join(',', forBob.Items.Select(s => s.Title)), forBob.Total));
        Assert.Equal(forBob.Items, forNobody.Items);
        Assert.Equal((true, false, false), (
            await test.Library.Songs.IsUnlistedAsync(unlisted.Id, Cancel),
            await test.Library.Songs.IsUnlistedAsync(listed.Id, Cancel),
            await test.Library.Songs.IsUnlistedAsync(source.Id, Cancel)));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Songs_are_listed_newest_first_a_page_at_a_time_with_the_total(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        var owner = await test.AddUserAsync("ann");
        var added = new List<Song>();
        for (var i = 0; i < 5; i++)
        {
            added.Add(await test.UploadAsync(Synth.SongWav(300 + 50 * i, 0.2), $"song {i}.wav", owner));
        }

        var first = await test.Library.Songs.ListAsync(1, 2, Cancel);
        var last = await test.Library.Songs.ListAsync(3, 2, Cancel);
        var beyond = await test.Library.Songs.ListAsync(4, 2, Cancel);
        var typedZero = await test.Library.Songs.ListAsync(0, 2, Cancel);

        Assert.Equal(["song 4", "song 3"], first.Items.Select(s => s.Title));
        Assert.Equal((5L, 3), (first.Total, first.PageCount));
        Assert.Equal(["song 0"], last.Items.Select(s => s.Title));
        Assert.Empty(beyond.Items);
        Assert.Equal(1, typedZero.Page);
        Assert.Equal(["song 4", "song 3"], typedZero.Items.Select(s => s.Title));
        Assert.Equal(5, await test.Library.Songs.CountAsync(Cancel));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_page_holds_at_most_100_songs(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        await using (var connection = await test.Store.Datastore.OpenAsync(Cancel))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO songs (id, title, blob_hash, content_type, bytes, origin, created_at) VALUES (@id, 'x', @hash, 'audio/wav', 44, 'upload', @at)",
                Enumerable.Range(0, 120).Select(i => new { id = $"song-{i:000}", hash = new string('a', 64), at = (long)i }), cancellationToken: Cancel));
        }

        var page = await test.Library.Songs.ListAsync(1, 500, Cancel);

        Assert.Equal((100, 100, 120L), (page.Items.Count, page.PageSize, page.Total));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task The_same_bytes_from_two_people_are_two_songs_and_one_blob_which_goes_with_the_last_of_them(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        var wav = Synth.SongWav(440, 0.5);
        // Two people: one person's same bytes again are the song they uploaded before.
        var first = await test.UploadAsync(wav, "one.wav", await test.AddUserAsync("ann"));
        var second = await test.UploadAsync(wav, "two.wav", await test.AddUserAsync("bob"));
        var blob = test.Library.Blobs.PathOf(first.BlobHash);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal([blob], test.BlobFiles());
        Assert.True(await test.Library.Songs.DeleteAsync(first.Id, Cancel));
        Assert.Equal([blob], test.BlobFiles());
        Assert.True(await test.Library.Songs.DeleteAsync(second.Id, Cancel));
        Assert.Empty(test.BlobFiles());
        Assert.False(await test.Library.Songs.DeleteAsync(second.Id, Cancel));
        Assert.Equal(0, await test.Library.Songs.CountAsync(Cancel));
        Assert.Empty(test.TemporaryFiles());
    }

    [Fact]
    public async Task A_rename_that_fails_leaves_the_row_another_caller_added_under_the_same_id()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var theirs = await test.UploadAsync(Synth.SongWav(440, 0.2), "theirs.wav", "ann");
        await using var staged = test.Library.Blobs.Stage();
        await staged.WriteAsync(Synth.SongWav(220, 0.2), Cancel);
        var hash = await staged.SealAsync(Cancel);
        // A folder where the file should go: the rename fails.
        Directory.CreateDirectory(test.Library.Blobs.PathOf(hash));
        var mine = theirs with { BlobHash = hash, Bytes = staged.Length };

        await Assert.ThrowsAnyAsync<IOException>(() => test.Library.Songs.AddAsync(mine, staged, alongside: null, Cancel));

        Assert.Equal(theirs, await test.Library.Songs.GetAsync(theirs.Id, Cancel));
    }

    [Fact]
    public async Task The_analysis_of_a_blob_goes_with_the_blob_and_no_sooner()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var first = await test.UploadAsync(Synth.SongWav(440, 0.5), "a.wav", "ann");
        var second = await test.UploadAsync(Synth.SongWav(440, 0.5), "same bytes.wav", "bob");
        var other = await test.UploadAsync(Synth.SongWav(220, 0.5), "b.wav", "ann");
        foreach (var song in new[] { first, other })
        {
            await test.Library.Engine.AnalyzeAsync(test.Library.Blobs.PathOf(song.BlobHash), cancellationToken: Cancel);
        }
        var cache = Path.Combine(test.DataDirectory, "cache", "analysis");
        string[] Cached(Song song) => Directory.GetFiles(cache, $"{song.BlobHash}.*");
        Assert.Single(Cached(first));

        await test.Library.Songs.DeleteAsync(first.Id, Cancel);
        var whileHeld = Cached(first);
        await test.Library.Songs.DeleteAsync(second.Id, Cancel);

        Assert.Single(whileHeld);
        Assert.Empty(Cached(first));
        Assert.Single(Cached(other));
    }
}
