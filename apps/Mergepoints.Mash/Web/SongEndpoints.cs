using Mergepoints.Mash.Library;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mergepoints.Mash.Web;

/// <summary>A song's audio, for the players: anyone may listen, signed in or not.</summary>
internal static class SongEndpoints
{
    public static void Map(WebApplication app) =>
        app.MapMethods("/songs/{id:" + HexIdConstraint.Name + "}/audio", [HttpMethods.Get, HttpMethods.Head], async (HttpContext context, MashLibrary library, string id) =>
            await library.Songs.GetAsync(HexIdConstraint.Normalize(id), context.RequestAborted) is { } song
                ? BlobResponses.Send(context, library.Blobs, song, shared: song.Origin != SongOrigin.Mash || !await library.Songs.IsUnlistedAsync(song.Id, context.RequestAborted))
                : PageResults.Message(PageRequest.From(context), StatusCodes.Status404NotFound, "No such song", "There is no song with this address: it may have been deleted."));
}
