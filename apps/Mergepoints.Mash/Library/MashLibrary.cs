using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Mash.Jobs;
using Mergepoints.Middleware.Data;

namespace Mergepoints.Mash.Library;

/// <summary>
/// The library as one object, built the same way by the web app, the <c>mash</c> job handler and the <c>demo</c>
/// command: the songs, the mashes, the blobs under <c>DATA/blobs</c>, uploads and the demo songs.
/// </summary>
public sealed class MashLibrary
{
    /// <summary>Builds the library over <paramref name="datastore"/> with its files under <paramref name="dataDirectory"/>.</summary>
    public MashLibrary(Datastore datastore, JobQueue jobs, string dataDirectory, MashLibraryOptions options)
    {
        Options = options.Validate();
        // Analyses are kept by the songs' content hash, so a song mashed again (or uploaded again) is not analysed
        // again; they go when the blob of those bytes goes.
        Engine = new MashEngine(new MashEngineOptions { FfmpegPath = Options.FfmpegPath, CacheDirectory = Path.Combine(dataDirectory, "cache", "analysis") });
        Blobs = new BlobStore(Path.Combine(dataDirectory, "blobs"));
        Songs = new SongStore(datastore, Blobs) { BlobRemoved = Engine.ForgetAnalysis };
        Mashups = new MashupStore(datastore, jobs, Songs);
        Uploads = new Uploads(Blobs, Songs, Options);
        Demo = new DemoSongs(Blobs, Songs);
    }

    /// <summary>The settings, checked once here, so everything built from them may trust them.</summary>
    public MashLibraryOptions Options { get; }

    /// <summary>The songs' bytes under <c>DATA/blobs</c>: the web app serves a song's audio from <see cref="BlobStore.PathOf"/>.</summary>
    public BlobStore Blobs { get; }

    /// <summary>The songs' rows: what the pages list and play, and what holds a blob (a blob goes with the last song holding it).</summary>
    public SongStore Songs { get; }

    /// <summary>The mashes beside their jobs: what a user asks for, follows and takes back.</summary>
    public MashupStore Mashups { get; }

    /// <summary>The one way a user's file becomes a song: limited, sniffed and checked before anything is kept.</summary>
    public Uploads Uploads { get; }

    /// <summary>Something to mash on a site that has no songs yet (the empty home page and <c>mergepoints demo</c>).</summary>
    public DemoSongs Demo { get; }

    /// <summary>The engine the <c>mash</c> jobs run, with the analysis cache under <c>DATA/cache/analysis</c>.</summary>
    internal MashEngine Engine { get; }
}
