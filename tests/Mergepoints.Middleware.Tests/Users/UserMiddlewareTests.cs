using System.Security.Claims;
using Dapper;
using Mergepoints.Middleware.Data;
using Mergepoints.Middleware.Sessions;
using Mergepoints.Middleware.Tests.Infrastructure;
using Mergepoints.Middleware.Users;
using Mergepoints.Owin.Contract;
using Microsoft.AspNetCore.DataProtection;
using Mergepoints.Testing;

namespace Mergepoints.Middleware.Tests.Users;

public sealed class UserMiddlewareTests : IAsyncLifetime
{
    private readonly TempDirectory _keys = new();
    private TestDatastore _store = null!;
    private UserStore _users = null!;
    private SessionCookie _cookie = null!;

    public async ValueTask InitializeAsync()
    {
        _store = await Databases.CreateWithAccountsAsync(DatastoreKind.Sqlite);
        _users = new UserStore(_store.Datastore);
        _cookie = new SessionCookie(DataProtectionProvider.Create(new DirectoryInfo(_keys.Path)), TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task A_request_without_the_cookie_is_anonymous()
    {
        var user = await UserSeenByAppAsync(OwinEnvironments.Get());

        Assert.False(user.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task A_request_without_the_cookie_never_asks_the_database()
    {
        // A datastore without the users table: any query would throw.
        await using var empty = await Databases.CreateAsync(DatastoreKind.Sqlite);
        var env = OwinEnvironments.Get("theme=dark");

        await UserMiddleware.Create(_cookie, new UserStore(empty.Datastore))(_ => Task.CompletedTask)(env);

        Assert.False(new OwinContext(env).User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task A_valid_cookie_signs_the_user_in_with_id_and_name()
    {
        var ann = await CreateUserAsync("Ann", isAdmin: false);

        var user = await UserSeenByAppAsync(OwinEnvironments.Get($"theme=dark; {SessionCookie.Name}={SessionOf(ann)}; lang=en"));

        Assert.True(user.Identity?.IsAuthenticated);
        Assert.Equal("Ann", user.Identity?.Name);
        Assert.Equal(ann.Id, user.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.False(user.IsInRole("admin"));
    }

    [Theory]
    [InlineData("prefs=a,b; {0}")]
    [InlineData("quoted=\"a b\"; {0}; theme=dark")]
    [InlineData("{0}; broken; =; x=\"unterminated")]
    [InlineData("tracking=a b c; {0}")]
    public async Task A_valid_cookie_is_found_among_other_apps_odd_cookies(string header)
    {
        var ann = await CreateUserAsync("Ann", isAdmin: false);

        var user = await UserSeenByAppAsync(OwinEnvironments.Get(string.Format(System.Globalization.CultureInfo.InvariantCulture, header, $"{SessionCookie.Name}={SessionOf(ann)}")));

        Assert.Equal("Ann", user.Identity?.Name);
    }

    [Fact]
    public async Task Only_an_admin_has_the_admin_role()
    {
        var root = await CreateUserAsync("root", isAdmin: true);

        var user = await UserSeenByAppAsync(OwinEnvironments.Get($"{SessionCookie.Name}={SessionOf(root)}"));

        Assert.True(user.IsInRole("admin"));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_cookie_that_is_not_a_session_is_anonymous(string value)
    {
        var user = await UserSeenByAppAsync(OwinEnvironments.Get($"{SessionCookie.Name}={value}"));

        Assert.False(user.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task A_tampered_cookie_is_anonymous()
    {
        var session = SessionOf(await CreateUserAsync("Ann", isAdmin: true));
        var tampered = session[..10] + (session[10] == 'x' ? 'y' : 'x') + session[11..];

        var user = await UserSeenByAppAsync(OwinEnvironments.Get($"{SessionCookie.Name}={tampered}"));

        Assert.False(user.Identity?.IsAuthenticated);
    }

    [Theory]
    [InlineData("UPDATE users SET is_locked = 1 WHERE id = @id")]
    [InlineData("UPDATE users SET security_stamp = 'changed' WHERE id = @id")]
    [InlineData("DELETE FROM users WHERE id = @id")]
    public async Task A_session_ends_when_its_user_is_locked_restamped_or_deleted(string change)
    {
        var ann = await CreateUserAsync("Ann", isAdmin: false);
        var session = SessionOf(ann);
        await using (var connection = await _store.Datastore.OpenAsync(TestContext.Current.CancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(change, new { id = ann.Id }, cancellationToken: TestContext.Current.CancellationToken));
        }

        var user = await UserSeenByAppAsync(OwinEnvironments.Get($"{SessionCookie.Name}={session}"));

        Assert.False(user.Identity?.IsAuthenticated);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _keys.Dispose();
    }

    private async Task<ClaimsPrincipal> UserSeenByAppAsync(Dictionary<string, object> env)
    {
        ClaimsPrincipal? seen = null;
        await UserMiddleware.Create(_cookie, _users)(inner =>
        {
            seen = (ClaimsPrincipal)inner[OwinKeys.User];
            return Task.CompletedTask;
        })(env);
        return Assert.IsType<ClaimsPrincipal>(seen);
    }

    private async Task<User> CreateUserAsync(string name, bool isAdmin) =>
        (await _users.CreateAsync(name, "correct horse battery", isAdmin, TestContext.Current.CancellationToken))!;

    private string SessionOf(User user) => _cookie.Protect(user.Id, user.SecurityStamp);
}
