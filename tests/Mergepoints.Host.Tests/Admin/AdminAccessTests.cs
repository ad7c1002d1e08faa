using System.Net;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Admin;

/// <summary>Only admins pass: nobody is sent to log in and comes back, a user is told no, a locked admin is nobody again.</summary>
public sealed class AdminAccessTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Anonymous_is_sent_to_log_in_and_back_a_user_gets_403_and_an_admin_the_dashboard(DatastoreKind kind)
    {
        await using var site = await AdminTestSite.StartAsync(_directory, kind);
        await site.AddUserAsync("root", admin: true);
        await site.AddUserAsync("bob");
        using var anonymous = new AdminVisitor(site.Url);
        using var root = new AdminVisitor(site.Url);
        using var bob = new AdminVisitor(site.Url);

        using var sentAway = await anonymous.GetAsync("/users?q=b");
        using var loggedIn = await root.Browser.LogInAsync("root", AdminTestSite.Password, Uri.UnescapeDataString(sentAway.Headers.Location!.OriginalString.Split("returnUrl=")[1]));
        var dashboard = await root.PageAsync("/");
        await bob.SignInAsync("bob");
        using var refused = await bob.GetAsync("/");
        using var refusedPost = await bob.PostAsync("/counter/flush", token: null);

        Assert.Equal(HttpStatusCode.Redirect, sentAway.StatusCode);
        Assert.Equal("/account/login?returnUrl=%2Fadmin%2Fusers%3Fq%3Db", sentAway.Headers.Location.OriginalString);
        Assert.Equal("/admin/users?q=b", loggedIn.Headers.Location!.OriginalString);
        Assert.Contains("<h1>Dashboard</h1>", dashboard, StringComparison.Ordinal);
        Assert.Contains("src=\"/_mergepoints/userbox.js\"", dashboard, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("bob, who is not an admin", await refused.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refusedPost.StatusCode);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task An_admin_locked_by_another_is_anonymous_at_the_next_request_and_cannot_log_in(DatastoreKind kind)
    {
        await using var site = await AdminTestSite.StartAsync(_directory, kind);
        var ann = await site.AddUserAsync("ann", admin: true);
        await site.AddUserAsync("root", admin: true);
        using var annVisits = new AdminVisitor(site.Url);
        using var root = new AdminVisitor(site.Url);
        await annVisits.SignInAsync("ann");
        await root.SignInAsync("root");
        var before = await annVisits.GetAsync("/");

        using var locked = await root.PressAsync("/users", $"/users/{ann.Id}/lock");
        using var after = await annVisits.GetAsync("/");
        using var again = await annVisits.Browser.LogInAsync("ann", AdminTestSite.Password, "/admin/");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, locked.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login?returnUrl=", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Contains("{\"anonymous\":true}", await annVisits.Browser.WhoAmIAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_another_prefix_and_behind_an_nginx_prefix_every_link_and_redirect_follows()
    {
        await using var site = await AdminTestSite.StartAsync(_directory, DatastoreKind.Sqlite, mount: "/ops/admin");
        await site.AddUserAsync("root", admin: true);
        var bob = await site.AddUserAsync("bob");
        using var anonymous = new AdminVisitor(site.Url, "/ops/admin");
        using var root = new AdminVisitor(site.Url, "/ops/admin");
        await root.SignInAsync("root");

        using var sentAway = await anonymous.GetAsync("/jobs");
        using var behindNginx = new HttpRequestMessage(HttpMethod.Get, "/ops/admin/jobs") { Headers = { { "X-Forwarded-Prefix", "/site" } } };
        using var sentAwayBehindNginx = await anonymous.Client.SendAsync(behindNginx, Cancel);
        var dashboard = await root.PageAsync("/");
        var stylesheet = System.Text.RegularExpressions.Regex.Match(dashboard, "<link rel=\"stylesheet\" href=\"([^\"]+)\"").Groups[1].Value;
        using var css = await root.Client.GetAsync(stylesheet, Cancel);
        using var promoted = await root.PressAsync("/users", $"/users/{bob.Id}/make-admin");

        Assert.Equal("/account/login?returnUrl=%2Fops%2Fadmin%2Fjobs", sentAway.Headers.Location!.OriginalString);
        Assert.Equal("/site/account/login?returnUrl=%2Fsite%2Fops%2Fadmin%2Fjobs", sentAwayBehindNginx.Headers.Location!.OriginalString);
        Assert.Contains("href=\"/ops/admin/users\"", dashboard, StringComparison.Ordinal);
        Assert.Contains("action=\"/ops/admin/counter/flush\"", dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/users\"", dashboard, StringComparison.Ordinal);
        Assert.StartsWith("/ops/admin/assets/admin.css?v=", stylesheet, StringComparison.Ordinal);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.SeeOther, promoted.StatusCode);
        Assert.Equal("/ops/admin/users", promoted.Headers.Location!.OriginalString);
        Assert.True((await site.FindUserAsync("bob"))!.IsAdmin);
    }

    [Theory]
    [InlineData("/admin/users?q=b&page=2", "/admin/users?q=b&page=2")]
    [InlineData("https://elsewhere.example/admin/", "/admin/users")]
    [InlineData("//elsewhere.example/admin/", "/admin/users")]
    [InlineData("/admin/../account/logout", "/admin/users")]
    [InlineData("/admin/%2e%2e/account/logout", "/admin/users")]
    [InlineData("/admin\\..\\account", "/admin/users")]
    [InlineData("/account/logout", "/admin/users")]
    public async Task After_a_change_the_browser_goes_back_only_to_a_page_of_the_admin(string back, string location)
    {
        await using var site = await AdminTestSite.StartAsync(_directory, DatastoreKind.Sqlite);
        await site.AddUserAsync("root", admin: true);
        var bob = await site.AddUserAsync("bob");
        using var root = new AdminVisitor(site.Url);
        await root.SignInAsync("root");

        using var made = await root.PostAsync($"/users/{bob.Id}/make-admin", await root.TokenAsync(), ("back", back));

        Assert.Equal(HttpStatusCode.SeeOther, made.StatusCode);
        Assert.Equal(location, made.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_counter_url_that_is_not_one_stops_the_host_before_it_listens_naming_the_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AdminTestSite.StartAsync(
            _directory, DatastoreKind.Sqlite, settings: new Dictionary<string, string?> { ["Admin:CounterUrls:0"] = "ftp://127.0.0.1/api" }));

        Assert.Contains("Admin:CounterUrls must hold http or https URLs", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
