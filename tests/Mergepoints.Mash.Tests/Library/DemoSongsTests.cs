using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Mash.Library;
using Mergepoints.Mash.Tests.Infrastructure;
using Mergepoints.Middleware.Data;

namespace Mergepoints.Mash.Tests.Library;

/// <summary>The demo songs: two different 30-second CD-quality WAVs, added once however many calls race to add them.</summary>
public sealed class DemoSongsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Two_calls_at_once_add_each_demo_song_once_and_both_return_them(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);

        var both = await Task.WhenAll(
            Task.Run(() => test.Library.Demo.EnsureAsync(Cancel), Cancel),
            Task.Run(() => test.Library.Demo.EnsureAsync(Cancel), Cancel));
        var again = await test.Library.Demo.EnsureAsync(Cancel);

        Assert.Equal(both[0], both[1]);
        Assert.Equal(both[0], again);
        Assert.Equal(2, await test.Library.Songs.CountAsync(Cancel));
        Assert.Equal(both[0].Select(song => test.Library.Blobs.PathOf(song.BlobHash)).Order(StringComparer.Ordinal), test.BlobFiles());
        Assert.Empty(test.TemporaryFiles());
    }

    [Fact]
    public async Task The_demo_songs_are_two_different_30_second_stereo_wavs_of_no_one()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);

        var songs = await test.Library.Demo.EnsureAsync(Cancel);

        Assert.Equal(["Drum Machine Groove", "Glass Bells"], songs.Select(song => song.Title));
        Assert.NotEqual(songs[0].BlobHash, songs[1].BlobHash);
        foreach (var song in songs)
        {
            var audio = WavReader.Read(await File.ReadAllBytesAsync(test.Library.Blobs.PathOf(song.BlobHash), Cancel));
            Assert.Equal((44100, 2, 30.0), (audio.SampleRate, audio.ChannelCount, audio.Duration));
            Assert.Equal((SongOrigin.Demo, null, "audio/wav", 30.0), (song.Origin, song.OwnerUserId, song.ContentType, song.DurationSeconds));
            Assert.Equal(song.BlobHash[..32], song.Id);
            // Heard: loud enough to mash, and never clipped.
            Assert.InRange(audio.Channels.Max(channel => channel.Max(MathF.Abs)), 0.5f, 0.99f);
        }
    }

    [Fact]
    public async Task Demo_songs_that_are_there_are_not_written_again()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        var songs = await test.Library.Demo.EnsureAsync(Cancel);
        var longAgo = DateTime.UtcNow.AddDays(-30);
        foreach (var file in test.BlobFiles())
        {
            File.SetLastWriteTimeUtc(file, longAgo);
        }

        var again = await test.Library.Demo.EnsureAsync(Cancel);

        Assert.Equal(songs, again);
        Assert.All(test.BlobFiles(), file => Assert.Equal(longAgo, File.GetLastWriteTimeUtc(file)));
    }
}
