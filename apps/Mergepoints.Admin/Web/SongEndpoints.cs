using Mergepoints.Admin.Actions;
using Mergepoints.Admin.Counter;
using Mergepoints.Admin.Data;
using Mergepoints.Admin.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mergepoints.Admin.Web;

/// <summary>The songs list, renaming, deleting, and resetting a song's play count.</summary>
internal static class SongEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/songs", async (HttpContext context, SongQueries songs, UserQueries users, string? q, string? sort, string? owner, string? page, string? size) =>
        {
            var filter = new SongFilter(QueryValues.Text(q), QueryValues.Text(owner), QueryValues.Choice<SongSort>(sort, "sort") ?? SongSort.Date);
            return AdminResults.Render<SongsPage>(new
            {
                Page = AdminRequest.From(context),
                Songs = await songs.ListAsync(filter, QueryValues.Page(page, size), context.RequestAborted),
                Filter = filter,
                OwnerName = filter.OwnerUserId is null ? null : (await users.GetAsync(filter.OwnerUserId, context.RequestAborted))?.Name,
            });
        });

        app.MapGet("/songs/{id}/rename", async (HttpContext context, SongQueries songs, string id, string? back) =>
        {
            var page = AdminRequest.From(context);
            var song = await songs.GetAsync(id, context.RequestAborted) ?? throw RefusedException.NotFound("song");
            return AdminResults.Render<RenamePage>(new { Page = page, Song = song, Back = AdminResults.BackOr(page, back, "/songs") });
        });
        app.MapPost("/songs/{id}/rename", async (HttpContext context, SongActions actions, SongQueries songs, string id) =>
        {
            var title = (string?)context.Request.Form["title"];
            try
            {
                return await AdminResults.AfterAsync(context, "/songs", (actor, cancel) => actions.RenameAsync(actor, id, title, cancel));
            }
            catch (RefusedException e) when (e.StatusCode == StatusCodes.Status400BadRequest)
            {
                // The form again, with what was typed and why it cannot be a title.
                var page = AdminRequest.From(context);
                var song = await songs.GetAsync(id, context.RequestAborted) ?? throw RefusedException.NotFound("song");
                var back = AdminResults.BackOr(page, context.Request.Form["back"], "/songs");
                return AdminResults.Render<RenamePage>(new { Page = page, Song = song, Back = back, Title = title, Error = e.Message }, e.StatusCode);
            }
        });

        app.MapGet("/songs/{id}/delete", async (HttpContext context, SongQueries songs, string id, string? back) =>
        {
            var song = await songs.GetAsync(id, context.RequestAborted) ?? throw RefusedException.NotFound("song");
            List<string> lines =
            [
                $"“{song.Title}” is deleted with its {UserEndpoints.Count(song.PlayCount, "play", "plays")}, and its file unless another song holds the same bytes.",
            ];
            if (song.UsedBy > 0)
            {
                lines.Add($"{UserEndpoints.Count(song.UsedBy, "mash", "mashes")} made from it keep their outputs, and show it as deleted.");
            }
            if (song.OutputOf is not null)
            {
                lines.Add("It is the output of a mash: that mash stays, without its audio. To delete both, delete the mash instead.");
            }
            return AdminResults.Confirm(AdminRequest.From(context), $"Delete “{song.Title}”?", lines, $"/songs/{id}/delete", "Delete the song", back, "/songs");
        });
        app.MapPost("/songs/{id}/delete", (HttpContext context, SongActions songs, string id) =>
            AdminResults.AfterAsync(context, "/songs", (actor, cancel) => songs.DeleteAsync(actor, id, cancel)));

        app.MapGet("/songs/{id}/reset-count", async (HttpContext context, SongQueries songs, CounterClient counter, string id, string? back) =>
        {
            var song = await songs.GetAsync(id, context.RequestAborted) ?? throw RefusedException.NotFound("song");
            var live = await counter.ReadAsync(context.Request.Headers.Cookie, context.RequestAborted);
            List<string> lines =
            [
                $"“{song.Title}” has {UserEndpoints.Count(song.PlayCount, "play", "plays")} in the database, "
                    + $"and {live.Counts.GetValueOrDefault(id)} more on the counter, not yet written there.",
                "Both go back to 0: the counter forgets its plays of this song, then the database's count is set to 0.",
            ];
            lines.AddRange(live.Failures.Select(failure => $"The counter at {failure.Server} {failure.Text}: the reset cannot be done until it answers."));
            return AdminResults.Confirm(AdminRequest.From(context), $"Reset the plays of “{song.Title}”?", lines, $"/songs/{id}/reset-count", "Reset to 0", back, "/songs");
        });
        app.MapPost("/songs/{id}/reset-count", (HttpContext context, SongActions songs, string id) =>
            AdminResults.AfterAsync(context, "/songs", (actor, cancel) => songs.ResetCountAsync(actor, id, context.Request.Headers.Cookie, cancel)));
    }
}
