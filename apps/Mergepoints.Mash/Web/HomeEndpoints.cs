using Mergepoints.Mash.Library;
using Mergepoints.Mash.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mergepoints.Mash.Web;

/// <summary>The home page with the mash form, the demo songs for an empty site, and the about page.</summary>
internal static class HomeEndpoints
{
    /// <summary>How many songs the "or choose one already here" lists offer, newest first.</summary>
    private const int PickableSongs = 100;

    private const int FreshMashes = 3;

    public static void Map(WebApplication app)
    {
        app.MapPage("/", (HttpContext context, MashLibrary library, string? songA, string? songB) =>
            RenderAsync(context, library, new MashFormValues { SongAId = songA, SongBId = songB }, error: null, StatusCodes.Status200OK));

        // Two synthesized songs, so that a new site has something to mash at once; making them twice keeps two.
        app.MapPost("/demo", async Task<IResult> (HttpContext context, MashLibrary library) =>
        {
            var page = PageRequest.From(context);
            // Anyone may start an empty site; once it has songs, making the demo is for people who can mash them.
            if (!page.SignedIn && await library.Songs.CountAsync(context.RequestAborted) > 0)
            {
                return PageResults.Message(page, StatusCodes.Status403Forbidden, "Log in first", "This site has songs already: log in to make the demo songs.", page.Login("/"), "Log in");
            }
            var songs = await library.Demo.EnsureAsync(context.RequestAborted);
            return new SeeOther(page.Link($"/?songA={songs[0].Id}&songB={songs[1].Id}"));
        });

        app.MapPage("/about", (HttpContext context, MashLibrary library) =>
            PageResults.Render<AboutPage>(new { Page = PageRequest.From(context), library.Options.MaxUploadBytes }));
    }

    /// <summary>
    /// The home page, also as the answer to a mash form that could not be taken: then with the error, its status,
    /// and the form as it was sent (songs uploaded meanwhile are offered as picks).
    /// </summary>
    public static async Task<IResult> RenderAsync(HttpContext context, MashLibrary library, MashFormValues form, string? error, int status)
    {
        var cancel = context.RequestAborted;
        var page = PageRequest.From(context);
        // Someone else's unlisted mash is not offered: its address is all that lets anyone hear it.
        var songs = await library.Songs.ListVisibleAsync(page.UserId, 1, PickableSongs, cancel);
        var fresh = await library.Mashups.ListGalleryAsync(1, FreshMashes, cancel);
        return PageResults.Render<HomePage>(
            new
            {
                Page = page,
                Songs = songs.Items,
                SongCount = await library.Songs.CountAsync(cancel),
                Fresh = fresh.Items,
                Form = form,
                Error = error,
                library.Options.MaxUploadBytes,
            },
            status);
    }
}
