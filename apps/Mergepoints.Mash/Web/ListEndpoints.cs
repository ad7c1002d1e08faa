using System.Globalization;
using Mergepoints.Mash.Library;
using Mergepoints.Mash.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

namespace Mergepoints.Mash.Web;

/// <summary>The paged lists: my mashes, the public gallery, and every song with its plays.</summary>
internal static class ListEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPage("/mine", (HttpContext context, MashLibrary library, MashSiteOptions options, string? page) =>
        {
            var request = PageRequest.From(context);
            return request.SignedIn
                ? ListAsync<MinePage, Mashup>(request, page, number => library.Mashups.ListByOwnerAsync(request.UserId!, number, options.GalleryPageSize, context.RequestAborted), mashes => new { Page = request, Mashes = mashes })
                : Task.FromResult<IResult>(Results.Redirect(request.Login("/mine")));
        });

        app.MapPage("/gallery", (HttpContext context, MashLibrary library, MashSiteOptions options, string? page) =>
        {
            var request = PageRequest.From(context);
            return ListAsync<GalleryPage, Mashup>(request, page, number => library.Mashups.ListGalleryAsync(number, options.GalleryPageSize, context.RequestAborted), mashes => new { Page = request, Mashes = mashes });
        });

        app.MapPage("/songs", (HttpContext context, MashLibrary library, MashSiteOptions options, string? page) =>
        {
            var request = PageRequest.From(context);
            return ListAsync<SongsPage, Song>(request, page, number => library.Songs.ListVisibleAsync(request.UserId, number, options.GalleryPageSize, context.RequestAborted), songs => new { Page = request, Songs = songs });
        });
    }

    /// <summary>
    /// The page of a list that <paramref name="page"/> asks for, rendered as <typeparamref name="TPage"/> with the
    /// <paramref name="parameters"/> made of it. A page number that is not one is 400; a page past the last is 404,
    /// not an empty page that links back to the real ones.
    /// </summary>
    private static async Task<IResult> ListAsync<TPage, TItem>(PageRequest request, string? page, Func<int, Task<Paged<TItem>>> read, Func<Paged<TItem>, object> parameters)
        where TPage : IComponent
    {
        if (PageNumber(page) is not { } number)
        {
            return PageResults.Message(request, StatusCodes.Status400BadRequest, "No such page", $"\"{page}\" is not a page number: pages are numbered from 1.", request.Home, "Home");
        }
        var items = await read(number);
        return number > items.PageCount
            ? PageResults.Message(request, StatusCodes.Status404NotFound, "No such page", $"This list has {items.PageCount} page{(items.PageCount == 1 ? "" : "s")}, not {number}.", request.Home, "Home")
            : PageResults.Render<TPage>(parameters(items));
    }

    /// <summary>The page asked for: 1 when none is (<c>?page=</c> too), null when what is asked is not a page number.</summary>
    private static int? PageNumber(string? page) =>
        string.IsNullOrEmpty(page) ? 1
        : int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 ? number
        : null;
}
