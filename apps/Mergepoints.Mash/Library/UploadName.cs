using System.Globalization;

namespace Mergepoints.Mash.Library;

/// <summary>
/// What the client's file name is good for: a title and a name to put in messages. Only its last segment counts
/// (a browser may send <c>C:\music\song.wav</c>, an attacker <c>../../etc/passwd.wav</c>), without control
/// or format characters; it never reaches a path, blobs are named by their hash.
/// </summary>
/// <param name="Display">The file name as messages show it: <c>song.wav</c>.</param>
/// <param name="Title">The file name without its extension, trimmed, at most 200 characters: <c>song</c>.</param>
internal sealed record UploadName(string Display, string Title)
{
    private const string Unnamed = "untitled";

    /// <summary>The name of <paramref name="fileName"/> as the client sent it (null or empty too).</summary>
    public static UploadName Of(string? fileName)
    {
        var last = (fileName ?? "").Split('/', '\\')[^1];
        var clean = SongTitles.Fit(new string([.. last.Where(IsShown)]).Trim());
        var dot = clean.LastIndexOf('.');
        var title = (dot > 0 ? clean[..dot] : clean).Trim();
        // "..", "." or "": nothing a person would call a title.
        return new UploadName(clean.Length > 0 ? clean : Unnamed, title.Trim('.').Length > 0 ? title : Unnamed);
    }

    // Control characters, and format characters (U+202E turns "evil\u202Egnp.wav" into "evilvaw.png" on screen and
    // in a download's file name; zero-width ones make two titles that look the same differ).
    private static bool IsShown(char c) => !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format;
}
