using Mergepoints.Host.Tests.Admin;
using Mergepoints.Host.Tests.Mash;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;
using Mergepoints.Testing.Chromium;
using OpenQA.Selenium;

namespace Mergepoints.Host.Tests.InBrowser;

/// <summary>The admin at <c>/admin</c> as an admin and a non-admin use it in Chromium, with no script of its own.</summary>
public sealed class AdminBrowserTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly HeadlessChromium _chromium = HeadlessChromium.Start();

    [Fact]
    public async Task An_admin_signs_in_promotes_a_user_retries_a_failed_job_and_sees_it_done_and_a_user_gets_the_403_page()
    {
        await using var site = await AdminTestSite.StartAsync(_directory, DatastoreKind.Sqlite);
        await site.AddUserAsync("root", admin: true);
        var bob = await site.AddUserAsync("bob");
        var (mashId, jobId) = await FailedMashAsync(site);

        _chromium.LogIn(site.Url, "root", AdminTestSite.Password, "/admin/");
        var failedOnDashboard = _chromium.Element("#mashes-card .count[data-status=failed]").Text;
        _chromium.SaveScreenshot("dashboard");
        _chromium.Element("nav.sections a[href='/admin/users']").Click();
        _chromium.Element("#make-admin-bob").Click();
        var bobsRow = $"tr[data-user-id='{bob.Id}']";
        _chromium.Until(driver => driver.FindElement(By.CssSelector($"{bobsRow} .badge-admin")), "bob's admin badge");
        _chromium.SaveScreenshot("users");
        _chromium.Element("nav.sections a[href='/admin/mashes']").Click();
        _chromium.Element("nav.tabs a[href='/admin/mashes?status=failed']").Click();
        var error = _chromium.Element($"tr[data-mash-id='{mashId}'] .error-text").Text;
        _chromium.Element($"#retry-{mashId}").Click();
        _chromium.Until(driver => !driver.Url.Contains("/retry", StringComparison.Ordinal) && driver.FindElements(By.CssSelector($"#retry-{mashId}")).Count == 0, "the retried mash to leave the failed list");
        // The pages run no script: a person reloads the job's page until it says succeeded.
        var status = _chromium.Until(driver =>
        {
            _chromium.Open(new Uri(site.Url, $"/admin/jobs/{jobId}"));
            var badge = driver.FindElement(By.CssSelector("h1 .badge")).Text;
            return badge is "succeeded" or "failed" ? badge : null;
        }, "the retried job to finish", TimeSpan.FromSeconds(120));

        _chromium.Driver.Manage().Cookies.DeleteAllCookies();
        _chromium.LogIn(site.Url, "ann", AdminTestSite.Password, "/");
        _chromium.Open(new Uri(site.Url, "/admin/"));
        var refusal = _chromium.Element("#message").Text;

        Assert.Equal("1", failedOnDashboard);
        Assert.True((await site.FindUserAsync("bob"))!.IsAdmin);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
        Assert.Equal("succeeded", status);
        Assert.Equal("Admins only", _chromium.Element("h1").Text);
        Assert.Contains("ann, who is not an admin", refusal, StringComparison.Ordinal);
    }

    /// <summary>A mash whose song A's file is gone, so its job failed for good, and the file put back for the retry.</summary>
    private static async Task<(string MashId, string JobId)> FailedMashAsync(AdminTestSite site)
    {
        var (songA, songB) = await AdminSongTests.DemoSongsAsync(site);
        var blobA = await site.BlobPathAsync(songA);
        var bytes = await File.ReadAllBytesAsync(blobA, TestContext.Current.CancellationToken);
        File.Delete(blobA);
        using var ann = new MashVisitor(site.Url);
        await ann.Browser.RegisterAsync("ann", AdminTestSite.Password);
        using var submitted = await ann.MashAsync([], [("songA", songA), ("songB", songB), .. MashVisitor.DefaultSettings]);
        var mashId = MashVisitor.MashId(submitted.Headers.Location!.OriginalString);
        Assert.Contains("\"status\":\"failed\"", await ann.WaitUntilFinishedAsync(mashId), StringComparison.Ordinal);
        await File.WriteAllBytesAsync(blobA, bytes, TestContext.Current.CancellationToken);
        return (mashId, await site.ScalarAsync<string>("SELECT job_id FROM mashups WHERE id = @mashId", new { mashId }));
    }

    public void Dispose()
    {
        _chromium.Dispose();
        _directory.Dispose();
    }
}
