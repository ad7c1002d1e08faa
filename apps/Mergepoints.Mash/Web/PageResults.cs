using Mergepoints.Mash.Web.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mergepoints.Mash.Web;

/// <summary>Pages as endpoint results: a Razor component rendered on the server, with the status it answers with.</summary>
internal static class PageResults
{
    public const string TokenProblem = "This form has expired or did not come from this site's page: reload the page and send it again.";

    public static RazorComponentResult Render<TPage>(object parameters, int status = StatusCodes.Status200OK)
        where TPage : IComponent =>
        new RazorComponentResult<TPage>(parameters) { StatusCode = status };

    /// <summary>A page that only says something: not found, not yours, log in first.</summary>
    public static RazorComponentResult Message(PageRequest page, int status, string title, string text, string? linkHref = null, string? linkText = null) =>
        Render<MessagePage>(new { Page = page, Title = title, Text = text, LinkHref = linkHref, LinkText = linkText }, status);

    public static RazorComponentResult MashNotFound(PageRequest page) =>
        Message(page, StatusCodes.Status404NotFound, "No such mash", "There is no mash with this address: it may have been deleted.", page.Link("/gallery"), "See the gallery");

    public static RazorComponentResult LogInFirst(PageRequest page, string returnPath, string doing) =>
        Message(page, StatusCodes.Status401Unauthorized, "Log in first", $"You need to be signed in to {doing}.", page.Login(returnPath), "Log in");

    /// <summary>
    /// The page for a failure of the site itself (the exception handler has logged it and cleared the response):
    /// one line, with the host's request id to quote, never what failed or where.
    /// </summary>
    public static Task ServerErrorAsync(HttpContext context)
    {
        SecurityHeaders.Apply(context.Response);
        var quote = context.TraceIdentifier is { Length: > 0 } requestId ? $" If you report it, quote request id {requestId}." : "";
        return Message(PageRequest.From(context), StatusCodes.Status500InternalServerError, "Something went wrong", $"The server failed to answer this request: try again in a moment.{quote}")
            .ExecuteAsync(context);
    }
}
