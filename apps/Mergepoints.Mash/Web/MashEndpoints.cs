using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Mash.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mergepoints.Mash.Web;

/// <summary>
/// One mash: asking for it (the upload form), its page with live progress, the progress as events and as JSON,
/// its download, and deleting it (owner only, after a confirmation page).
/// </summary>
internal static class MashEndpoints
{
    private const string Id = "/mashes/{id:" + HexIdConstraint.Name + "}";

    public static void Map(WebApplication app)
    {
        // The form streams 100 MB of songs: it checks its own token as it reads, before it takes any file.
        app.MapPost("/mashes", SubmitAsync).DisableAntiforgery();

        app.MapPage(Id, (HttpContext context, MashLibrary library, string id) => WithMashAsync(context, library, id, async (page, mash) =>
        {
            var output = mash.OutputSongId is { } songId ? await library.Songs.GetAsync(songId, context.RequestAborted) : null;
            return PageResults.Render<MashPage>(new { Page = page, Mash = mash, State = MashState.Of(mash, page), Output = output });
        }));

        app.MapGet(Id + "/events", (MashProgressFeed feed, string id) => new MashEventStream(feed, HexIdConstraint.Normalize(id)));

        // The same state for a browser without EventSource, or behind something that breaks event streams.
        app.MapPage(Id + "/status", async (HttpContext context, MashLibrary library, string id) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return await library.Mashups.GetAsync(HexIdConstraint.Normalize(id), context.RequestAborted) is { } mash
                ? Results.Json(MashState.Of(mash, PageRequest.From(context)))
                : NoSuchMash(context);
        });

        app.MapPage(Id + "/download", (HttpContext context, MashLibrary library, string id) => WithMashAsync(context, library, id, async (page, mash) =>
        {
            var song = mash.OutputSongId is { } songId ? await library.Songs.GetAsync(songId, context.RequestAborted) : null;
            return song is null
                ? PageResults.Message(page, StatusCodes.Status409Conflict, "Not ready yet", "This mash is not finished, so there is nothing to download yet.", page.Link($"/mashes/{mash.Id}"), "Back to the mash")
                : BlobResponses.Send(context, library.Blobs, song, shared: mash.IsPublic, $"{song.Title} (MonsterMash)");
        }));

        app.MapPage(Id + "/delete", (HttpContext context, MashLibrary library, string id) => WithDeletableMashAsync(context, library, id, (page, mash) =>
            Task.FromResult<IResult>(PageResults.Render<DeletePage>(new { Page = page, Mash = mash }))));

        app.MapPost(Id + "/delete", (HttpContext context, MashLibrary library, string id) => WithDeletableMashAsync(context, library, id, async (page, mash) =>
        {
            await library.Mashups.DeleteAsync(mash.Id, context.RequestAborted);
            return new SeeOther(page.Link("/mine"));
        }));
    }

    /// <summary>The JSON 404 of <c>/status</c> and <c>/events</c>.</summary>
    internal static IResult NoSuchMash(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new { error = "There is no mash with this id: it may have been deleted." }, statusCode: StatusCodes.Status404NotFound);
    }

    /// <summary>What <paramref name="then"/> answers for the mash <paramref name="id"/>; the 404 page when there is none.</summary>
    private static async Task<IResult> WithMashAsync(HttpContext context, MashLibrary library, string id, Func<PageRequest, Mashup, Task<IResult>> then)
    {
        var page = PageRequest.From(context);
        return await library.Mashups.GetAsync(HexIdConstraint.Normalize(id), context.RequestAborted) is { } mash
            ? await then(page, mash)
            : PageResults.MashNotFound(page);
    }

    /// <summary>What <paramref name="then"/> answers for the mash <paramref name="id"/> when the signed-in user made it and so may delete it; else the page that says why not.</summary>
    private static Task<IResult> WithDeletableMashAsync(HttpContext context, MashLibrary library, string id, Func<PageRequest, Mashup, Task<IResult>> then) =>
        WithMashAsync(context, library, id, (page, mash) =>
            !page.SignedIn ? Task.FromResult<IResult>(PageResults.LogInFirst(page, $"/mashes/{mash.Id}/delete", "delete a mash"))
            : mash.OwnerUserId != page.UserId ? Task.FromResult<IResult>(PageResults.Message(page, StatusCodes.Status403Forbidden, "Not yours", "Only the person who made this mash can delete it.", page.Link($"/mashes/{mash.Id}"), "Back to the mash"))
            : then(page, mash));

    /// <summary>
    /// The mash form: streams each file into the library as it arrives, then asks for the mash and sends the
    /// browser to its page. A form that cannot be taken gets the home page again, with the reason, its status
    /// and everything that was chosen.
    /// </summary>
    private static async Task<IResult> SubmitAsync(HttpContext context, MashLibrary library)
    {
        var page = PageRequest.From(context);
        if (!page.SignedIn)
        {
            // Not a byte of the body is read for someone who may not mash, and the host's limit stays as it is.
            return PageResults.LogInFirst(page, "/", "mash songs");
        }
        // Two songs at the library's limit, plus the fields: Kestrel stops a body past that by itself.
        var maxBody = library.Options.MaxUploadBytes * 2 + 1024 * 1024;
        if (context.Request.ContentLength is { } declared && declared > maxBody)
        {
            // Refused before a byte is taken. A browser still sending reads the answer only once it has sent
            // everything, else it shows a reset connection: so a body up to twice the limit is read away first, under
            // a limit raised for that (Kestrel's own would stop the first read). A bigger one is not worth the bytes.
            if (declared <= maxBody * 2 && TryLimitBody(context, declared))
            {
                await StreamedForm.DrainAsync(context);
            }
            return await HomeEndpoints.RenderAsync(context, library, new MashFormValues(), TooLarge(library), StatusCodes.Status413PayloadTooLarge);
        }
        TryLimitBody(context, maxBody);
        var cancel = context.RequestAborted;
        Song? songA = null, songB = null;
        UploadRejectedException? rejected = null;
        var filesSeen = new HashSet<string>(StringComparer.Ordinal);
        StreamedForm form;
        try
        {
            form = await StreamedForm.ReadAsync(context, async (field, fileName, body) =>
            {
                if (field is not ("fileA" or "fileB"))
                {
                    return;
                }
                if (!filesSeen.Add(field))
                {
                    // Several files dropped on one input: which one was meant cannot be told.
                    throw new FormProblemException(StatusCodes.Status400BadRequest, "One file per song: send one file as song A and one as song B.");
                }
                if (rejected is not null)
                {
                    return;
                }
                try
                {
                    var song = await library.Uploads.AcceptAsync(body, fileName, page.UserId!, cancel);
                    (songA, songB) = field == "fileA" ? (song, songB) : (songA, song);
                }
                catch (UploadRejectedException e)
                {
                    // The rest of the form is still read, so that the page shown again keeps what was chosen.
                    rejected = e;
                }
            }, cancel);
        }
        catch (FormProblemException e)
        {
            await StreamedForm.DrainAsync(context);
            return PageResults.Message(page, e.StatusCode, "That did not work", e.Message, page.Home, "Back to the form");
        }
        catch (BadHttpRequestException e)
        {
            // Past the limit for this form without a Content-Length up front (or a body that broke off): Kestrel
            // reads no more of it, and closes the connection after this answer.
            var why = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge(library) : "The upload broke off before its end: send the form again.";
            return await HomeEndpoints.RenderAsync(context, library, new MashFormValues { SongAId = songA?.Id, SongBId = songB?.Id }, why, e.StatusCode);
        }

        var (values, problem) = MashFormValues.Read(form.Fields, songA, songB);
        if (rejected is not null)
        {
            return await HomeEndpoints.RenderAsync(context, library, values, rejected.Message, rejected.StatusCode);
        }
        if (problem is not null)
        {
            return await HomeEndpoints.RenderAsync(context, library, values, problem, StatusCodes.Status400BadRequest);
        }
        Mashup mash;
        try
        {
            mash = await library.Mashups.SubmitAsync(values.SongAId!, values.SongBId!, values.Options, values.IsPublic, page.UserId!, cancel);
        }
        catch (KeyNotFoundException)
        {
            return await NotSubmittedAsync(context, library, values);
        }
        catch (ArgumentException e)
        {
            return await HomeEndpoints.RenderAsync(context, library, values, e.Message, StatusCodes.Status400BadRequest);
        }
        return new SeeOther(page.Link($"/mashes/{mash.Id}"));
    }

    /// <summary>
    /// Why the library found nothing to mash: a song no longer there (deleted since the page was shown, or a pick
    /// made up), or, seldom, the mash itself deleted the moment it was made. The library says both with the same
    /// exception, so the songs are looked up again.
    /// </summary>
    private static async Task<IResult> NotSubmittedAsync(HttpContext context, MashLibrary library, MashFormValues values)
    {
        var cancel = context.RequestAborted;
        if (await library.Songs.GetAsync(values.SongAId!, cancel) is null)
        {
            return await HomeEndpoints.RenderAsync(context, library, values with { SongAId = null }, "Song A is no longer here: choose it again.", StatusCodes.Status400BadRequest);
        }
        if (await library.Songs.GetAsync(values.SongBId!, cancel) is null)
        {
            return await HomeEndpoints.RenderAsync(context, library, values with { SongBId = null }, "Song B is no longer here: choose it again.", StatusCodes.Status400BadRequest);
        }
        return await HomeEndpoints.RenderAsync(context, library, values, "The mash was deleted as soon as it was made: send the form again.", StatusCodes.Status409Conflict);
    }

    /// <summary>Sets how much of this request's body Kestrel lets through; false once reading has begun.</summary>
    private static bool TryLimitBody(HttpContext context, long bytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is not { IsReadOnly: false } limit)
        {
            return false;
        }
        limit.MaxRequestBodySize = bytes;
        return true;
    }

    private static string TooLarge(MashLibrary library) =>
        $"The upload is too large: each song may be up to {ByteSize.Of(library.Options.MaxUploadBytes)}, two songs in one form.";
}
