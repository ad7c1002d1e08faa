namespace Mergepoints.Mash.Library;

/// <summary>How a song came into the library; stored as its lowercase name.</summary>
public enum SongOrigin
{
    /// <summary>Uploaded by a signed-in user.</summary>
    Upload,

    /// <summary>Synthesized by <c>mergepoints demo</c> or the demo button.</summary>
    Demo,

    /// <summary>The output of a finished mash.</summary>
    Mash,
}
