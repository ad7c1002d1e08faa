using Mergepoints.Admin.Data;
using Mergepoints.Admin.Web.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mergepoints.Admin.Web;

/// <summary>Pages as endpoint results, and what a form that worked answers.</summary>
internal static class AdminResults
{
    /// <summary>A Razor component rendered on the server, with the status it answers with.</summary>
    public static RazorComponentResult Render<TPage>(object parameters, int status = StatusCodes.Status200OK)
        where TPage : IComponent =>
        new RazorComponentResult<TPage>(parameters) { StatusCode = status };

    /// <summary>A page that only says something: not an admin, not found, not in this state.</summary>
    public static RazorComponentResult Message(AdminRequest page, int status, string title, string text) =>
        Render<MessagePage>(new { Page = page, Title = title, Text = text }, status);

    /// <summary>
    /// The page before a destructive change: <paramref name="lines"/> say exactly what will happen, the button posts
    /// to <paramref name="action"/>, and both it and "Cancel" lead back to <paramref name="back"/> (the list the
    /// admin came from) or <paramref name="fallback"/>.
    /// </summary>
    public static RazorComponentResult Confirm(AdminRequest page, string title, IReadOnlyList<string> lines, string action, string button, string? back, string fallback) =>
        Render<ConfirmPage>(new { Page = page, Title = title, Lines = lines, Action = page.Link(action), Button = button, Back = BackOr(page, back, fallback) });

    /// <summary>
    /// Runs a change for the admin asking, then sends the browser (303) back to the page the form was on (its hidden
    /// <c>back</c> field, when that is a page of the admin) or to <paramref name="fallback"/>.
    /// </summary>
    public static async Task<IResult> AfterAsync(HttpContext context, string fallback, Func<Actor, CancellationToken, Task> change)
    {
        var page = AdminRequest.From(context);
        await change(page.Actor, context.RequestAborted);
        // 303 See Other: the next page comes by GET, so reloading it never sends the form again (Results.Redirect has no 303).
        context.Response.Headers.Location = BackOr(page, context.Request.HasFormContentType ? context.Request.Form["back"] : default(string?), fallback);
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary><paramref name="back"/> when it is a page of this admin, else <paramref name="fallback"/> of it.</summary>
    public static string BackOr(AdminRequest page, string? back, string fallback) => IsOwnPage(page, back) ? back! : page.Link(fallback);

    // Only a path of this admin: never another site, never a scheme-relative //host, never a backslash a browser
    // reads as /, never a dot segment (also as %2e) that climbs out of the admin.
    private static bool IsOwnPage(AdminRequest page, string? back) =>
        back is { Length: > 0 }
        && back.StartsWith(page.Base + "/", StringComparison.Ordinal)
        && !back.StartsWith("//", StringComparison.Ordinal)
        && !back.Contains('\\', StringComparison.Ordinal)
        && !back.Any(char.IsControl)
        && !Uri.UnescapeDataString(back.Split('?', 2)[0]).Split('/').Any(segment => segment is "." or "..");
}
