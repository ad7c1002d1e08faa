using System.Net;
using System.Text.Json;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Admin;

/// <summary>What an admin does to users, each change with its audit entry, and what an admin may not do.</summary>
public sealed class AdminUserTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Making_and_unmaking_an_admin_takes_effect_at_the_next_request_and_is_audited(DatastoreKind kind)
    {
        await using var site = await AdminTestSite.StartAsync(_directory, kind);
        await site.AddUserAsync("root", admin: true);
        var bob = await site.AddUserAsync("bob");
        using var root = new AdminVisitor(site.Url);
        using var bobVisits = new AdminVisitor(site.Url);
        await root.SignInAsync("root");
        await bobVisits.SignInAsync("bob");

        using var made = await root.PressAsync("/users?q=BO", $"/users/{bob.Id}/make-admin");
        using var asAdmin = await bobVisits.GetAsync("/");
        using var unmade = await root.PressAsync("/users", $"/users/{bob.Id}/unmake-admin");
        using var asUser = await bobVisits.GetAsync("/");
        var audit = await site.AuditAsync();
        var auditPage = await root.PageAsync("/audit?action=user.make-admin");
        using var badFilter = await root.GetAsync("/audit?action=user.promote");

        Assert.Equal(HttpStatusCode.SeeOther, made.StatusCode);
        Assert.Equal("/admin/users?q=BO", made.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asUser.StatusCode);
        Assert.Equal(["user.make-admin", "user.unmake-admin"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(("root", "user", bob.Id), (a.AdminName, a.RecordKind, a.RecordId)));
        Assert.Equal((false, true), (Flag(audit[0].Before, "isAdmin"), Flag(audit[0].After, "isAdmin")));
        Assert.Equal((true, false), (Flag(audit[1].Before, "isAdmin"), Flag(audit[1].After, "isAdmin")));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(auditPage, "<td data-label=\"Action\">"));
        Assert.Contains("<code>user.make-admin</code>", auditPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        Assert.DoesNotContain("passwordHash", audit[0].Before, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("stamp", audit[0].Before, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Locking_ends_a_session_and_after_unlocking_the_user_signs_in_again(DatastoreKind kind)
    {
        await using var site = await AdminTestSite.StartAsync(_directory, kind);
        await site.AddUserAsync("root", admin: true);
        var bob = await site.AddUserAsync("bob");
        using var root = new AdminVisitor(site.Url);
        using var bobVisits = new AdminVisitor(site.Url);
        await root.SignInAsync("root");
        await bobVisits.SignInAsync("bob");
        var signedIn = await bobVisits.Browser.WhoAmIAsync();

        using var locked = await root.PressAsync("/users", $"/users/{bob.Id}/lock");
        var whileLocked = await bobVisits.Browser.WhoAmIAsync();
        using var loginWhileLocked = await bobVisits.Browser.LogInAsync("bob", AdminTestSite.Password);
        using var unlocked = await root.PressAsync("/users", $"/users/{bob.Id}/unlock");
        var oldSessionAfterUnlock = await bobVisits.Browser.WhoAmIAsync();
        using var loginAfterUnlock = await bobVisits.Browser.LogInAsync("bob", AdminTestSite.Password);
        var signedInAgain = await bobVisits.Browser.WhoAmIAsync();
        var audit = await site.AuditAsync();

        Assert.Contains("\"name\":\"bob\"", signedIn, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, locked.StatusCode);
        Assert.Contains("\"anonymous\":true", whileLocked, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, loginWhileLocked.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, unlocked.StatusCode);
        Assert.Contains("\"anonymous\":true", oldSessionAfterUnlock, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, loginAfterUnlock.StatusCode);
        Assert.Contains("\"name\":\"bob\"", signedInAgain, StringComparison.Ordinal);
        Assert.Equal(["user.lock", "user.unlock"], audit.Select(a => a.Action));
        Assert.Equal((false, true), (Flag(audit[0].Before, "isLocked"), Flag(audit[0].After, "isLocked")));
        Assert.Equal((true, false), (Flag(audit[1].Before, "isLocked"), Flag(audit[1].After, "isLocked")));
    }

    [Fact]
    public async Task An_admin_sees_no_button_to_unmake_lock_or_delete_themselves_and_such_a_post_is_refused_with_the_reason()
    {
        await using var site = await AdminTestSite.StartAsync(_directory, DatastoreKind.Sqlite);
        var root = await site.AddUserAsync("root", admin: true);
        var other = await site.AddUserAsync("other", admin: true);
        using var visitor = new AdminVisitor(site.Url);
        await visitor.SignInAsync("root");
        var users = await visitor.PageAsync("/users");
        var token = await visitor.TokenAsync();

        using var unmake = await visitor.PostAsync($"/users/{root.Id}/unmake-admin", token);
        using var lockSelf = await visitor.PostAsync($"/users/{root.Id}/lock", token);
        using var deleteSelf = await visitor.PostAsync($"/users/{root.Id}/delete", token);
        using var confirmDeleteSelf = await visitor.GetAsync($"/users/{root.Id}/delete");

        foreach (var action in new[] { "unmake-admin", "lock" })
        {
            Assert.DoesNotContain($"/users/{root.Id}/{action}", users, StringComparison.Ordinal);
            Assert.Contains($"/users/{other.Id}/{action}", users, StringComparison.Ordinal);
        }
        Assert.DoesNotContain($"/users/{root.Id}/delete", users, StringComparison.Ordinal);
        Assert.Contains($"/users/{other.Id}/delete", users, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unmake.StatusCode);
        Assert.Contains("You cannot remove your own admin flag: another admin must do it.", await unmake.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, lockSelf.StatusCode);
        Assert.Contains("You cannot lock yourself out", await lockSelf.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, deleteSelf.StatusCode);
        Assert.Contains("You cannot delete yourself", await deleteSelf.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, confirmDeleteSelf.StatusCode);
        var stillRoot = await site.FindUserAsync("root");
        Assert.True(stillRoot!.IsAdmin);
        Assert.False(stillRoot.IsLocked);
        Assert.Empty(await site.AuditAsync());
    }

    [Fact]
    public async Task A_post_without_its_antiforgery_token_or_with_another_admins_is_refused_with_400_and_changes_nothing()
    {
        await using var site = await AdminTestSite.StartAsync(_directory, DatastoreKind.Sqlite);
        await site.AddUserAsync("root", admin: true);
        await site.AddUserAsync("other", admin: true);
        var bob = await site.AddUserAsync("bob");
        using var root = new AdminVisitor(site.Url);
        using var other = new AdminVisitor(site.Url);
        await root.SignInAsync("root");
        await other.SignInAsync("other");

        using var withoutToken = await root.PostAsync($"/users/{bob.Id}/make-admin", token: null);
        using var withOthersToken = await root.PostAsync($"/users/{bob.Id}/make-admin", await other.TokenAsync());
        using var withGarbage = await root.PostAsync($"/users/{bob.Id}/make-admin", "not-a-token");

        foreach (var refused in new[] { withoutToken, withOthersToken, withGarbage })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("reload the page and send it again", await refused.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }
        Assert.False((await site.FindUserAsync("bob"))!.IsAdmin);
        Assert.Empty(await site.AuditAsync());
    }

    [Fact]
    public async Task An_unknown_user_is_a_404_page()
    {
        await using var site = await AdminTestSite.StartAsync(_directory, DatastoreKind.Sqlite);
        await site.AddUserAsync("root", admin: true);
        using var root = new AdminVisitor(site.Url);
        await root.SignInAsync("root");

        using var post = await root.PostAsync("/users/no-such-user/lock", await root.TokenAsync());
        using var confirm = await root.GetAsync("/users/no-such-user/delete");

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Contains("There is no user with this id", await post.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, confirm.StatusCode);
    }

    private static bool Flag(string? json, string name) => JsonDocument.Parse(json!).RootElement.GetProperty(name).GetBoolean();

    public void Dispose() => _directory.Dispose();
}
