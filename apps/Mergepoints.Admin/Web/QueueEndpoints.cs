using Mergepoints.Admin.Actions;
using Mergepoints.Admin.Data;
using Mergepoints.Admin.Web.Pages;
using Mergepoints.Mash.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mergepoints.Admin.Web;

/// <summary>The mashes and the jobs: lists by status, one job in full, retry, cancel, and deleting a mash.</summary>
internal static class QueueEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/mashes", async (HttpContext context, MashQueries mashes, UserQueries users, string? status, string? owner, string? page, string? size) =>
        {
            var (state, ownerId) = (QueryValues.Choice<JobStatus>(status, "status"), QueryValues.Text(owner));
            return AdminResults.Render<MashesPage>(new
            {
                Page = AdminRequest.From(context),
                Mashes = await mashes.ListAsync(state, ownerId, QueryValues.Page(page, size), context.RequestAborted),
                Status = state,
                OwnerUserId = ownerId,
                OwnerName = ownerId is null ? null : (await users.GetAsync(ownerId, context.RequestAborted))?.Name,
            });
        });

        app.MapGet("/mashes/{id}/delete", async (HttpContext context, MashQueries mashes, string id, string? back) =>
        {
            var mash = await mashes.GetAsync(id, context.RequestAborted) ?? throw RefusedException.NotFound("mash");
            List<string> lines =
            [
                $"The mash of “{mash.SongATitle ?? "a deleted song"}” from “{mash.SongBTitle ?? "a deleted song"}” by {mash.OwnerName ?? "a deleted user"} is deleted"
                    + (mash.OutputSongId is null ? "." : ", with its output song and file."),
            ];
            if (mash.Status == JobStatus.Queued)
            {
                lines.Add("Its job is still queued: it is cancelled.");
            }
            else if (mash.Status == JobStatus.Running)
            {
                lines.Add("Its job is running: what it makes is thrown away.");
            }
            lines.Add("The two songs it was made from stay.");
            return AdminResults.Confirm(AdminRequest.From(context), "Delete this mash?", lines, $"/mashes/{id}/delete", "Delete the mash", back, "/mashes");
        });
        app.MapPost("/mashes/{id}/delete", (HttpContext context, MashActions mashes, string id) =>
            AdminResults.AfterAsync(context, "/mashes", (actor, cancel) => mashes.DeleteMashAsync(actor, id, cancel)));

        app.MapGet("/jobs", async (HttpContext context, JobQueries jobs, string? status, string? kind, string? page, string? size) =>
        {
            var (state, kindName) = (QueryValues.Choice<JobStatus>(status, "status"), QueryValues.Text(kind));
            return AdminResults.Render<JobsPage>(new
            {
                Page = AdminRequest.From(context),
                Jobs = await jobs.ListAsync(state, kindName, QueryValues.Page(page, size), context.RequestAborted),
                Kinds = await jobs.KindsAsync(context.RequestAborted),
                Status = state,
                Kind = kindName,
            });
        });

        app.MapGet("/jobs/{id}", async (HttpContext context, JobQueries jobs, string id) => AdminResults.Render<JobDetailPage>(new
        {
            Page = AdminRequest.From(context),
            Job = await jobs.GetAsync(id, context.RequestAborted) ?? throw RefusedException.NotFound("job"),
        }));
        app.MapPost("/jobs/{id}/retry", (HttpContext context, MashActions jobs, string id) =>
            AdminResults.AfterAsync(context, $"/jobs/{id}", (actor, cancel) => jobs.RetryJobAsync(actor, id, cancel)));
        app.MapPost("/jobs/{id}/cancel", (HttpContext context, MashActions jobs, string id) =>
            AdminResults.AfterAsync(context, $"/jobs/{id}", (actor, cancel) => jobs.CancelJobAsync(actor, id, cancel)));
    }
}
