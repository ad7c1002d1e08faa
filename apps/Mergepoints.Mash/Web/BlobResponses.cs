using System.Text;
using Mergepoints.Mash.Library;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Mergepoints.Mash.Web;

/// <summary>
/// The one place that sends a song's bytes, to listen to or to download: ranges (seeking in the player), the
/// content hash as the ETag, and a year of caching, since a blob's bytes never change under its name. When nginx
/// fronts the site this is where the answer becomes an <c>X-Accel-Redirect</c>.
/// </summary>
internal static class BlobResponses
{
    private const int MaxFileNameLength = 100;

    /// <summary>The song's audio; with <paramref name="downloadName"/>, as an attachment saved under that name.</summary>
    public static IResult Send(HttpContext context, BlobStore blobs, Song song, string? downloadName = null)
    {
        var path = blobs.PathOf(song.BlobHash);
        if (!File.Exists(path))
        {
            return PageResults.Message(PageRequest.From(context), StatusCodes.Status404NotFound, "Audio missing", "This song's audio is no longer on the server.");
        }
        var headers = context.Response.Headers;
        headers.CacheControl = "public, max-age=31536000, immutable";
        if (downloadName is not null)
        {
            var disposition = new ContentDispositionHeaderValue("attachment");
            // filename= gets an ASCII stand-in, filename*= the name as it is: every browser saves something readable.
            disposition.SetHttpFileName(FileName(downloadName, song.ContentType));
            headers.ContentDisposition = disposition.ToString();
        }
        return Results.File(path, song.ContentType, entityTag: new EntityTagHeaderValue($"\"{song.BlobHash}\""), enableRangeProcessing: true);
    }

    /// <summary>A title made safe as a file name on any system, with the extension its type calls for.</summary>
    internal static string FileName(string title, string contentType)
    {
        var name = new StringBuilder(title.Length);
        foreach (var c in title.Normalize(NormalizationForm.FormC))
        {
            name.Append(char.IsControl(c) || c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' ? ' ' : c);
        }
        var clean = string.Join(' ', name.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim('.', ' ');
        if (clean.Length > MaxFileNameLength)
        {
            var cut = char.IsHighSurrogate(clean[MaxFileNameLength - 1]) ? MaxFileNameLength - 1 : MaxFileNameLength;
            clean = clean[..cut].TrimEnd('.', ' ');
        }
        return (clean.Length == 0 ? "mash" : clean) + Extension(contentType);
    }

    private static string Extension(string contentType) => contentType.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        "audio/wav" or "audio/x-wav" or "audio/wave" or "audio/vnd.wave" => ".wav",
        "audio/mpeg" or "audio/mp3" => ".mp3",
        "audio/ogg" or "audio/vorbis" or "audio/opus" => ".ogg",
        "audio/flac" or "audio/x-flac" => ".flac",
        "audio/mp4" or "audio/m4a" or "audio/x-m4a" or "audio/aac" => ".m4a",
        _ => "",
    };
}
