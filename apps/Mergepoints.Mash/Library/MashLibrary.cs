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
        Blobs = new BlobStore(Path.Combine(dataDirectory, "blobs"));
        Songs = new SongStore(datastore, Blobs);
        Mashups = new MashupStore(datastore, jobs, Songs);
        Uploads = new Uploads(Blobs, Songs, Options);
        Demo = new DemoSongs(Blobs, Songs);
        // Analyses are kept by the songs' content hash, so a song mashed again (or uploaded again) is not analysed again.
        Engine = new MashEngine(new MashEngineOptions { FfmpegPath = Options.FfmpegPath, CacheDirectory = Path.Combine(dataDirectory, "cache", "analysis") });
    }

    /// <summary>The settings, checked.</summary>
    public MashLibraryOptions Options { get; }

    /// <summary>The files.</summary>
    public BlobStore Blobs { get; }

    /// <summary>The songs.</summary>
    public SongStore Songs { get; }

    /// <summary>The mashes.</summary>
    public MashupStore Mashups { get; }

    /// <summary>Uploads.</summary>
    public Uploads Uploads { get; }

    /// <summary>The demo songs.</summary>
    public DemoSongs Demo { get; }

    /// <summary>The engine the <c>mash</c> jobs run, with the analysis cache under <c>DATA/cache/analysis</c>.</summary>
    internal MashEngine Engine { get; }
}
