using Mergepoints.Mash.Engine.Audio;

namespace Mergepoints.Mash.Library;

/// <summary>
/// Two songs synthesized in code, so a new site has something to mash at once: <c>mergepoints demo</c> and the
/// button on an empty home page.
/// </summary>
/// <remarks>
/// Each song's id is the start of its content hash, and the row is inserted with <c>ON CONFLICT DO NOTHING</c>:
/// two clicks, two processes or two machines making the demo at once add each song once, with no lock.
/// </remarks>
public sealed class DemoSongs(BlobStore blobs, SongStore songs)
{
    /// <summary>Adds the two demo songs unless they are already there; returns them either way (A first).</summary>
    public async Task<IReadOnlyList<Song>> EnsureAsync(CancellationToken cancellationToken)
    {
        var made = new List<Song>();
        foreach (var (title, synthesize) in new (string, Func<AudioBuffer>)[] { ("Drum Machine Groove", DemoSynthesizer.Groove), ("Glass Bells", DemoSynthesizer.Bells) })
        {
            var audio = synthesize();
            await using var staged = blobs.Stage();
            await staged.WriteAsync(WavWriter.ToBytes(audio), cancellationToken).ConfigureAwait(false);
            var hash = await staged.SealAsync(cancellationToken).ConfigureAwait(false);
            var song = new Song
            {
                Id = hash[..32],
                Title = title,
                BlobHash = hash,
                ContentType = "audio/wav",
                Bytes = staged.Length,
                DurationSeconds = audio.Duration,
                Origin = SongOrigin.Demo,
                CreatedAt = StoredTime.Now(),
            };
            await songs.AddAsync(song, staged, alongside: null, cancellationToken).ConfigureAwait(false);
            // The row that won, when another call added it first (its time, its plays).
            made.Add(await songs.GetAsync(song.Id, cancellationToken).ConfigureAwait(false) ?? song);
        }
        return made;
    }
}
