using System.Net;
using Mergepoints.Host.Tests.Mash;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Admin;

/// <summary>Mashes and jobs: a failed job retried to done, a queued one cancelled, mashes deleted with their output.</summary>
public sealed class AdminQueueTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_mash_failed_for_a_missing_file_is_retried_by_the_admin_runs_to_done_and_is_deleted_with_its_output(DatastoreKind kind)
    {
        await using var site = await AdminTestSite.StartAsync(_directory, kind);
        await site.AddUserAsync("root", admin: true);
        var (songA, songB) = await AdminSongTests.DemoSongsAsync(site);
        var blobA = await site.BlobPathAsync(songA);
        var bytesA = await File.ReadAllBytesAsync(blobA, Cancel);
        File.Delete(blobA);
        using var ann = new MashVisitor(site.Url);
        await ann.SignUpAsync("ann");
        using var submitted = await ann.MashAsync([], [("songA", songA), ("songB", songB), .. MashVisitor.DefaultSettings]);
        var mashId = MashVisitor.MashId(submitted.Headers.Location!.OriginalString);
        var failed = await ann.WaitUntilFinishedAsync(mashId);
        var jobId = await site.ScalarAsync<string>("SELECT job_id FROM mashups WHERE id = @mashId", new { mashId });
        using var root = new AdminVisitor(site.Url);
        await root.SignInAsync("root");
        var failedList = await root.PageAsync("/mashes?status=failed");
        var succeededList = await root.PageAsync("/mashes?status=succeeded");
        var jobPage = await root.PageAsync($"/jobs/{jobId}");

        await File.WriteAllBytesAsync(blobA, bytesA, Cancel);
        using var retried = await root.PressAsync("/mashes?status=failed", $"/jobs/{jobId}/retry");
        var done = await ann.WaitUntilFinishedAsync(mashId);
        // The mash is done once its output is attached; the worker marks its job succeeded a moment after.
        var doneJobPage = await Eventually.ReadAsync(() => root.PageAsync($"/jobs/{jobId}"), page => page.Contains("badge-succeeded", StringComparison.Ordinal), "the retried job's page saying it succeeded");
        using var retriedAgain = await root.PostAsync($"/jobs/{jobId}/retry", await root.TokenAsync());
        var outputId = await site.ScalarAsync<string>("SELECT output_song_id FROM mashups WHERE id = @mashId", new { mashId });
        var outputBlob = await site.BlobPathAsync(outputId);
        var confirm = await root.PageAsync($"/mashes/{mashId}/delete");
        using var deleted = await root.PressAsync($"/mashes/{mashId}/delete", $"/mashes/{mashId}/delete");
        using var mashPage = await ann.GetAsync($"/mashes/{mashId}");
        var audit = await site.AuditAsync();

        Assert.Contains("\"status\":\"failed\"", failed, StringComparison.Ordinal);
        Assert.Contains($"data-mash-id=\"{mashId}\"", failedList, StringComparison.Ordinal);
        Assert.Contains("no such file", failedList, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-mash-id=\"{mashId}\"", succeededList, StringComparison.Ordinal);
        Assert.Contains("id=\"job-error\"", jobPage, StringComparison.Ordinal);
        Assert.Contains("badge-failed", jobPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, retried.StatusCode);
        Assert.Equal("/admin/mashes?status=failed", retried.Headers.Location!.OriginalString);
        Assert.Contains("\"status\":\"done\"", done, StringComparison.Ordinal);
        Assert.Contains("badge-succeeded", doneJobPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, retriedAgain.StatusCode);
        Assert.Contains("This job is succeeded: only a failed job can be retried.", await retriedAgain.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Contains("with its output song and file", confirm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, mashPage.StatusCode);
        Assert.Equal(0, await site.ScalarAsync<long>("SELECT COUNT(*) FROM songs WHERE id = @outputId", new { outputId }));
        Assert.False(File.Exists(outputBlob));
        Assert.True(File.Exists(blobA));
        Assert.Equal(["job.retry", "mash.delete"], audit.Select(a => a.Action));
        Assert.Equal(("job", jobId), (audit[0].RecordKind, audit[0].RecordId));
        Assert.Equal("failed", AdminSongTests.Property(audit[0].Before, "status"));
        Assert.Equal("queued", AdminSongTests.Property(audit[0].After, "status"));
        Assert.Equal(("mash", mashId, outputId), (audit[1].RecordKind, audit[1].RecordId, AdminSongTests.Property(audit[1].Before, "outputSongId")));
        Assert.Null(audit[1].After);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_queued_job_is_cancelled_once_and_its_mash_deleted_keeps_the_songs(DatastoreKind kind)
    {
        // No workers: the mash waits in the queue for as long as the test needs.
        await using var site = await AdminTestSite.StartAsync(_directory, kind, settings: new Dictionary<string, string?> { ["Jobs:InProcess"] = "false" });
        await site.AddUserAsync("root", admin: true);
        var (songA, songB) = await AdminSongTests.DemoSongsAsync(site);
        using var ann = new MashVisitor(site.Url);
        await ann.SignUpAsync("ann");
        using var submitted = await ann.MashAsync([], [("songA", songA), ("songB", songB), .. MashVisitor.DefaultSettings]);
        var mashId = MashVisitor.MashId(submitted.Headers.Location!.OriginalString);
        var jobId = await site.ScalarAsync<string>("SELECT job_id FROM mashups WHERE id = @mashId", new { mashId });
        using var root = new AdminVisitor(site.Url);
        await root.SignInAsync("root");

        var queued = await root.PageAsync("/jobs?status=queued");
        using var cancelled = await root.PressAsync("/jobs?status=queued", $"/jobs/{jobId}/cancel");
        var cancelledList = await root.PageAsync("/mashes?status=cancelled");
        using var cancelledAgain = await root.PostAsync($"/jobs/{jobId}/cancel", await root.TokenAsync());
        using var retried = await root.PostAsync($"/jobs/{jobId}/retry", await root.TokenAsync());
        using var deleted = await root.PressAsync($"/mashes/{mashId}/delete?back=%2Fadmin%2Fmashes", $"/mashes/{mashId}/delete");
        var audit = await site.AuditAsync();

        Assert.Contains($"data-job-id=\"{jobId}\"", queued, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, cancelled.StatusCode);
        Assert.Equal("cancelled", await site.ScalarAsync<string>("SELECT status FROM jobs WHERE id = @jobId", new { jobId }));
        Assert.Contains($"data-mash-id=\"{mashId}\"", cancelledList, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, cancelledAgain.StatusCode);
        Assert.Contains("only a queued job can be cancelled", await cancelledAgain.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, retried.StatusCode);
        Assert.Equal("/admin/mashes", deleted.Headers.Location!.OriginalString);
        Assert.Equal(0, await site.ScalarAsync<long>("SELECT COUNT(*) FROM mashups"));
        Assert.Equal(2, await site.ScalarAsync<long>("SELECT COUNT(*) FROM songs"));
        Assert.Equal(["job.cancel", "mash.delete"], audit.Select(a => a.Action));
        Assert.Equal(("queued", "cancelled"), (AdminSongTests.Property(audit[0].Before, "status"), AdminSongTests.Property(audit[0].After, "status")));
    }

    [Fact]
    public async Task A_status_that_is_not_one_is_a_400_naming_the_statuses()
    {
        await using var site = await AdminTestSite.StartAsync(_directory, DatastoreKind.Sqlite);
        await site.AddUserAsync("root", admin: true);
        using var root = new AdminVisitor(site.Url);
        await root.SignInAsync("root");

        using var mashes = await root.GetAsync("/mashes?status=broken");
        using var jobs = await root.GetAsync("/jobs?status=Failed");

        Assert.Equal(HttpStatusCode.BadRequest, mashes.StatusCode);
        Assert.Contains("status must be one of queued, running, succeeded, failed, cancelled; &quot;broken&quot; is not one.", await mashes.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, jobs.StatusCode);
    }

    public void Dispose() => _directory.Dispose();
}
