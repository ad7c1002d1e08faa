using System.Globalization;
using Mergepoints.Mash.Library;
using Mergepoints.Mash.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mergepoints.Mash.Web;

/// <summary>The paged lists: my mashes, the public gallery, and every song with its plays.</summary>
internal static class ListEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/mine", async (HttpContext context, MashLibrary library, MashSiteOptions options, string? page) =>
        {
            var request = PageRequest.From(context);
            if (!request.SignedIn)
            {
                return Results.Redirect(request.Login("/mine"));
            }
            return PageNumber(page) is { } number
                ? PageResults.Render<MinePage>(new { Page = request, Mashes = await library.Mashups.ListByOwnerAsync(request.UserId!, number, options.GalleryPageSize, context.RequestAborted) })
                : BadPage(request, page);
        });

        app.MapGet("/gallery", async (HttpContext context, MashLibrary library, MashSiteOptions options, string? page) =>
        {
            var request = PageRequest.From(context);
            return PageNumber(page) is { } number
                ? PageResults.Render<GalleryPage>(new { Page = request, Mashes = await library.Mashups.ListGalleryAsync(number, options.GalleryPageSize, context.RequestAborted) })
                : BadPage(request, page);
        });

        app.MapGet("/songs", async (HttpContext context, MashLibrary library, MashSiteOptions options, string? page) =>
        {
            var request = PageRequest.From(context);
            return PageNumber(page) is { } number
                ? PageResults.Render<SongsPage>(new { Page = request, Songs = await library.Songs.ListAsync(number, options.GalleryPageSize, context.RequestAborted) })
                : BadPage(request, page);
        });
    }

    /// <summary>The page asked for: 1 when none is, null when what is asked is not a page number.</summary>
    private static int? PageNumber(string? page) =>
        page is null ? 1
        : int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 ? number
        : null;

    private static RazorComponentResult BadPage(PageRequest request, string? page) =>
        PageResults.Message(request, StatusCodes.Status400BadRequest, "No such page", $"\"{page}\" is not a page number: pages are numbered from 1.", request.Home, "Home");
}
