namespace Mergepoints.Counter.Client;

/// <summary>
/// What a flush across servers did: like a reset it is not all or nothing, and a server that failed kept its plays
/// (a flush loses nothing), so the caller can simply flush again.
/// </summary>
public sealed class FlushResult
{
    internal FlushResult(IReadOnlyList<Uri> succeeded, IReadOnlyList<ServerFailure> failed, int songs, long plays)
    {
        Succeeded = succeeded;
        Failed = failed;
        Songs = songs;
        Plays = plays;
    }

    /// <summary>The servers that flushed, in the order the options list them.</summary>
    public IReadOnlyList<Uri> Succeeded { get; }

    /// <summary>The servers that refused or did not answer, each with the reason.</summary>
    public IReadOnlyList<ServerFailure> Failed { get; }

    /// <summary>Songs whose count in the database grew, over every server that flushed.</summary>
    public int Songs { get; }

    /// <summary>Plays moved into the database, over every server that flushed.</summary>
    public long Plays { get; }

    /// <summary>Whether every server flushed.</summary>
    public bool AllSucceeded => Failed.Count == 0;
}
