namespace Mergepoints.Admin.Data;

/// <summary>How the songs page orders the songs.</summary>
public enum SongSort
{
    /// <summary>Newest first.</summary>
    Date,

    /// <summary>Most played first (the plays in the database).</summary>
    Plays,
}
