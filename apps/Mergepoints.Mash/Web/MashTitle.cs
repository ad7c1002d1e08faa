using Mergepoints.Mash.Library;

namespace Mergepoints.Mash.Web;

/// <summary>How a mash is named on the pages: "A × B", with a stand-in for a song deleted since.</summary>
public static class MashTitle
{
    /// <summary>The mash's name.</summary>
    public static string Of(Mashup mash)
    {
        ArgumentNullException.ThrowIfNull(mash);
        return $"{mash.SongATitle ?? "(a deleted song)"} × {mash.SongBTitle ?? "(a deleted song)"}";
    }
}
