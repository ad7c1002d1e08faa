using Mergepoints.Admin.Actions;
using Mergepoints.Admin.Data;
using Mergepoints.Admin.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mergepoints.Admin.Web;

/// <summary>The users list and what an admin does to a user.</summary>
internal static class UserEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/users", async (HttpContext context, UserQueries users, string? q, string? page, string? size) =>
        {
            var search = QueryValues.Text(q);
            return AdminResults.Render<UsersPage>(new
            {
                Page = AdminRequest.From(context),
                Users = await users.ListAsync(search, QueryValues.Page(page, size), context.RequestAborted),
                Search = search,
            });
        });

        app.MapPost("/users/{id}/make-admin", (HttpContext context, UserActions users, string id) =>
            AdminResults.AfterAsync(context, "/users", (actor, cancel) => users.SetAdminAsync(actor, id, isAdmin: true, cancel)));
        app.MapPost("/users/{id}/unmake-admin", (HttpContext context, UserActions users, string id) =>
            AdminResults.AfterAsync(context, "/users", (actor, cancel) => users.SetAdminAsync(actor, id, isAdmin: false, cancel)));
        app.MapPost("/users/{id}/lock", (HttpContext context, UserActions users, string id) =>
            AdminResults.AfterAsync(context, "/users", (actor, cancel) => users.SetLockedAsync(actor, id, locked: true, cancel)));
        app.MapPost("/users/{id}/unlock", (HttpContext context, UserActions users, string id) =>
            AdminResults.AfterAsync(context, "/users", (actor, cancel) => users.SetLockedAsync(actor, id, locked: false, cancel)));

        app.MapGet("/users/{id}/delete", async (HttpContext context, UserQueries users, string id, string? back) =>
        {
            var page = AdminRequest.From(context);
            var user = await users.GetAsync(id, context.RequestAborted) ?? throw RefusedException.NotFound("user");
            if (user.Id == page.Actor.UserId)
            {
                throw new RefusedException(StatusCodes.Status400BadRequest, "You cannot delete yourself: another admin must do it.");
            }
            var footprint = await users.FootprintAsync(id, context.RequestAborted);
            return AdminResults.Confirm(page, $"Delete {user.Name}?", Consequences(user, footprint), $"/users/{id}/delete", "Delete the user and all of it", back, "/users");
        });
        app.MapPost("/users/{id}/delete", (HttpContext context, UserActions users, string id) =>
            AdminResults.AfterAsync(context, "/users", (actor, cancel) => users.DeleteAsync(actor, id, cancel)));
    }

    private static List<string> Consequences(UserSummary user, UserFootprint footprint)
    {
        var mashes = footprint.MashIds.Count;
        var songs = footprint.SongIds.Count;
        List<string> lines = [$"The account {user.Name} is deleted: they are signed out at once and cannot sign in again."];
        lines.Add(mashes == 0
            ? "They have no mashes."
            : $"Their {Count(mashes, "mash", "mashes")} {(mashes == 1 ? "is" : "are")} deleted with {(mashes == 1 ? "its" : "their")} output songs and files: "
              + $"{footprint.FinishedMashes} finished, {footprint.WaitingMashes} still queued or running (queued jobs are cancelled, a running one's output is thrown away).");
        lines.Add(songs == 0
            ? "They have no uploaded songs."
            : $"Their {Count(songs, "uploaded song", "uploaded songs")} {(songs == 1 ? "is" : "are")} deleted, with each file no other song holds.");
        if (footprint.OthersMashesFromTheirSongs > 0)
        {
            var one = footprint.OthersMashesFromTheirSongs == 1;
            lines.Add($"{Count(footprint.OthersMashesFromTheirSongs, "mash", "mashes")} by other people made from their songs "
                + (one ? "keeps its own output, and shows" : "keep their own outputs, and show") + " those songs as deleted.");
        }
        return lines;
    }

    internal static string Count(long count, string one, string many) => $"{count} {(count == 1 ? one : many)}";
}
