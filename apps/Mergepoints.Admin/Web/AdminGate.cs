using Microsoft.AspNetCore.Http;

namespace Mergepoints.Admin.Web;

/// <summary>
/// Only admins pass. Nobody signed in is sent to the login page, with a return URL back to the page asked for;
/// someone signed in who is not an admin gets a 403 page that says so. The role comes from <c>server.User</c>,
/// which the host's user middleware reads from the users table on every request: a user unmade or locked is
/// stopped at their very next request.
/// </summary>
internal sealed class AdminGate(RequestDelegate next, AdminOptions options)
{
    /// <summary>The role the host's user middleware gives admins.</summary>
    public const string Role = "admin";

    public Task InvokeAsync(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            var page = AdminRequest.From(context);
            // Back to a form's page is the most a login can do for a POST: the POST itself is not sent again.
            var back = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ? page.Here : page.Home;
            context.Response.Redirect($"{page.SiteBase}{options.AccountsPath}/login?returnUrl={Uri.EscapeDataString(back)}");
            return Task.CompletedTask;
        }
        return user.IsInRole(Role)
            ? next(context)
            : AdminResults.Message(
                AdminRequest.From(context), StatusCodes.Status403Forbidden, "Admins only",
                $"You are signed in as {user.Identity.Name}, who is not an admin of this site. An admin can make you one.").ExecuteAsync(context);
    }
}
