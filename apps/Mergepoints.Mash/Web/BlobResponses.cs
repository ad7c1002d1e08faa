using System.Text;
using Mergepoints.Mash.Library;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Mergepoints.Mash.Web;

/// <summary>
/// The one place that sends a song's bytes, to listen to or to download: ranges (seeking in the player), the
/// content hash as the ETag, and a year of caching, since a blob's bytes never change under its name. When nginx
/// fronts the site (it says so with <c>X-Sendfile-Type: X-Accel-Redirect</c>, which the forwarded-headers middleware
/// keeps only from a known proxy), the answer is headers only with an <c>X-Accel-Redirect</c> to the blob under
/// nginx's internal <c>/_mergepoints/blobs/</c>, and nginx sends the bytes, ranges included: an instance is not
/// held for the minutes a slow listener takes. nginx keeps the host's type, disposition and cache policy, but not
/// its ETag: it answers with its own (the file's mtime and size, as stable as the hash, since a blob never changes
/// under its name) and answers If-None-Match and Range against that. The content hash stays the ETag of the
/// answers the host sends itself, without nginx.
/// </summary>
internal static class BlobResponses
{
    private const int MaxFileNameLength = 100;
    private const string AccelRedirect = "X-Accel-Redirect";

    /// <summary>nginx.conf's internal location over the blob directory.</summary>
    private const string AccelLocation = "/_mergepoints/blobs/";

    /// <summary>The song's audio; with <paramref name="downloadName"/>, as an attachment saved under that name.</summary>
    /// <param name="context">The request.</param>
    /// <param name="blobs">Where the bytes are.</param>
    /// <param name="song">The song.</param>
    /// <param name="shared">
    /// Whether caches between the site and the browser may keep it: not for an unlisted mash, which its owner may
    /// delete, and which would then still be served for a year from a proxy to whoever has the address.
    /// </param>
    /// <param name="downloadName">The title to save it under, or null to play it.</param>
    public static IResult Send(HttpContext context, BlobStore blobs, Song song, bool shared, string? downloadName = null)
    {
        var path = blobs.PathOf(song.BlobHash);
        var byNginx = string.Equals(context.Request.Headers["X-Sendfile-Type"], AccelRedirect, StringComparison.OrdinalIgnoreCase);
        FileStream? file = null;
        try
        {
            // Opened here, not by the result: a blob deleted a moment ago (its mash deleted) is a 404 page, not a 500.
            // nginx would answer a missing file with a bare 404 of its own, so it is looked for here all the same.
            if (!byNginx)
            {
                file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1, useAsync: true);
            }
            else if (!File.Exists(path))
            {
                return Missing(context);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Missing(context);
        }
        var headers = context.Response.Headers;
        headers.CacheControl = $"{(shared ? "public" : "private")}, max-age=31536000, immutable";
        if (downloadName is not null)
        {
            var disposition = new ContentDispositionHeaderValue("attachment");
            // filename= gets an ASCII stand-in, filename*= the name as it is: every browser saves something readable.
            disposition.SetHttpFileName(FileName(downloadName, song.ContentType));
            headers.ContentDisposition = disposition.ToString();
        }
        if (file is null)
        {
            headers[AccelRedirect] = AccelLocation + BlobStore.NameOf(song.BlobHash);
            context.Response.ContentType = song.ContentType;
            return Results.Empty;
        }
        // The result disposes the stream once sent.
        return Results.File(file, song.ContentType, entityTag: new EntityTagHeaderValue($"\"{song.BlobHash}\""), enableRangeProcessing: true);
    }

    private static RazorComponentResult Missing(HttpContext context) =>
        PageResults.Message(PageRequest.From(context), StatusCodes.Status404NotFound, "Audio missing", "This song's audio is no longer on the server.");

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
