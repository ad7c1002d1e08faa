using Mergepoints.Admin.Actions;
using Mergepoints.Admin.Counter;
using Mergepoints.Admin.Data;
using Mergepoints.Admin.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mergepoints.Admin.Web;

/// <summary>The dashboard, "flush now", and the audit log.</summary>
internal static class DashboardEndpoints
{
    private const int TopSongs = 10;
    private const int RecentChanges = 20;

    public static void Map(WebApplication app)
    {
        app.MapGet("/", async (HttpContext context, DashboardQueries dashboard, SongQueries songs, AuditLog audit, CounterClient counter) =>
        {
            var cancel = context.RequestAborted;
            var live = await counter.ReadAsync(context.Request.Headers.Cookie, cancel);
            return AdminResults.Render<DashboardPage>(new
            {
                Page = AdminRequest.From(context),
                Counts = await dashboard.CountAsync(cancel),
                Top = await songs.TopAsync(TopSongs, live.Counts, cancel),
                Live = live,
                Counters = counter.Servers,
                Recent = (await audit.ListAsync(new AuditFilter(), new ListPage(1, RecentChanges), cancel)).Items,
            });
        });

        // Not destructive (the plays move, none is lost), so no confirmation: the answer shows what each counter did.
        app.MapPost("/counter/flush", async (HttpContext context, CounterActions counter) =>
        {
            var page = AdminRequest.From(context);
            var answers = await counter.FlushAsync(page.Actor, context.Request.Headers.Cookie, context.RequestAborted);
            return AdminResults.Render<FlushPage>(
                new { Page = page, Answers = answers }, answers.All(a => a.Succeeded) ? StatusCodes.Status200OK : StatusCodes.Status502BadGateway);
        });

        app.MapGet("/audit", async (HttpContext context, AuditLog audit, UserQueries users, string? admin, string? action, string? kind, string? record, string? page, string? size) =>
        {
            var filter = new AuditFilter(
                QueryValues.Text(admin), QueryValues.OneOf(action, "action", AuditActions.All), QueryValues.OneOf(kind, "kind", AuditActions.Kinds), QueryValues.Text(record));
            return AdminResults.Render<AuditPage>(new
            {
                Page = AdminRequest.From(context),
                Entries = await audit.ListAsync(filter, QueryValues.Page(page, size), context.RequestAborted),
                Filter = filter,
                AdminName = filter.AdminUserId is null ? null : (await users.GetAsync(filter.AdminUserId, context.RequestAborted))?.Name,
            });
        });
    }
}
