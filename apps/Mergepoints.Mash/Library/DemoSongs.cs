using System.Security.Cryptography;
using Mergepoints.Mash.Engine.Audio;

namespace Mergepoints.Mash.Library;

/// <summary>
/// Two songs synthesized in code, so a new site has something to mash at once: <c>mergepoints demo</c> and the
/// button on an empty home page.
/// </summary>
/// <remarks>
/// Each song's id is the start of its content hash, and the row is inserted with <c>ON CONFLICT DO NOTHING</c>:
/// two clicks, two processes or two machines making the demo at once add each song once, with no lock. The ids
/// are remembered for the life of the process, so a call that finds the songs there (any call but the first, on a
/// site that has them) only reads two rows: the button is an anonymous POST.
/// </remarks>
public sealed class DemoSongs(BlobStore blobs, SongStore songs)
{
    // Adding a song that is deleted again before it can be read back is tried this many times, then given up.
    private const int Attempts = 3;

    private static readonly DemoSong[] All = [new("Drum Machine Groove", DemoSynthesizer.Groove), new("Glass Bells", DemoSynthesizer.Bells)];

    /// <summary>Adds the two demo songs unless they are already there; returns them either way (A first).</summary>
    public async Task<IReadOnlyList<Song>> EnsureAsync(CancellationToken cancellationToken)
    {
        var made = new List<Song>();
        foreach (var demo in All)
        {
            made.Add(await EnsureAsync(demo, cancellationToken).ConfigureAwait(false));
        }
        return made;
    }

    /// <summary>The row that is there (its time, its plays, when another call added it first), added when it is not.</summary>
    private async Task<Song> EnsureAsync(DemoSong demo, CancellationToken cancellationToken)
    {
        for (var added = 0; ; added++)
        {
            if (demo.Id is { } id && await songs.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } there)
            {
                return there;
            }
            if (added == Attempts)
            {
                throw new InvalidOperationException($"The demo song \"{demo.Title}\" was deleted each time it was added.");
            }
            await AddAsync(demo, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AddAsync(DemoSong demo, CancellationToken cancellationToken)
    {
        var audio = demo.Synthesize();
        var wav = WavWriter.ToBytes(audio);
        var hash = Convert.ToHexStringLower(SHA256.HashData(wav));
        demo.Id = hash[..32];
        if (await songs.GetAsync(demo.Id, cancellationToken).ConfigureAwait(false) is not null)
        {
            // The first call of this process, on a site that has the song: nothing to write.
            return;
        }
        await using var staged = blobs.Stage();
        await staged.WriteAsync(wav, cancellationToken).ConfigureAwait(false);
        await staged.SealAsync(cancellationToken).ConfigureAwait(false);
        var song = new Song
        {
            Id = demo.Id,
            Title = demo.Title,
            BlobHash = hash,
            ContentType = "audio/wav",
            Bytes = staged.Length,
            DurationSeconds = audio.Duration,
            Origin = SongOrigin.Demo,
            CreatedAt = StoredTime.Now(),
        };
        await songs.AddAsync(song, staged, alongside: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One demo song: how to make it, and its id once this process has made it.</summary>
    private sealed class DemoSong(string title, Func<AudioBuffer> synthesize)
    {
        private string? _id;

        public string Title { get; } = title;

        public string? Id
        {
            get => Volatile.Read(ref _id);
            set => Volatile.Write(ref _id, value);
        }

        public AudioBuffer Synthesize() => synthesize();
    }
}
