using Mergepoints.Middleware.Data;
using Mergepoints.Middleware.Tests.Infrastructure;
using Mergepoints.Middleware.Users;
using Mergepoints.Testing;

namespace Mergepoints.Middleware.Tests.Users;

public sealed class UserStoreTests
{
    private const string Password = "correct horse battery";

    [Theory, BothDatastores]
    public async Task A_created_user_is_found_by_name_whatever_its_case(DatastoreKind kind)
    {
        await using var store = await Databases.CreateWithAccountsAsync(kind);
        var users = new UserStore(store.Datastore);

        var created = await users.CreateAsync("Ann", Password, isAdmin: false, TestContext.Current.CancellationToken);
        var found = await users.FindByNameAsync("aNN", TestContext.Current.CancellationToken);

        Assert.NotNull(created);
        Assert.Equal(created, found);
        Assert.Equal("Ann", found!.Name);
        Assert.False(found.IsAdmin);
        Assert.False(found.IsLocked);
        Assert.Equal(found, await users.FindByIdAsync(created!.Id, TestContext.Current.CancellationToken));
    }

    [Theory, BothDatastores]
    public async Task Nobody_is_found_for_an_unknown_name_or_id(DatastoreKind kind)
    {
        await using var store = await Databases.CreateWithAccountsAsync(kind);
        var users = new UserStore(store.Datastore);

        Assert.Null(await users.FindByNameAsync("nobody", TestContext.Current.CancellationToken));
        Assert.Null(await users.FindByIdAsync("no-such-id", TestContext.Current.CancellationToken));
    }

    [Theory, BothDatastores]
    public async Task A_taken_name_in_any_case_creates_nobody(DatastoreKind kind)
    {
        await using var store = await Databases.CreateWithAccountsAsync(kind);
        var users = new UserStore(store.Datastore);
        var ann = await users.CreateAsync("Ann", Password, isAdmin: false, TestContext.Current.CancellationToken);

        var again = await users.CreateAsync("ANN", "another password", isAdmin: true, TestContext.Current.CancellationToken);

        Assert.Null(again);
        Assert.Equal(ann, await users.FindByNameAsync("ann", TestContext.Current.CancellationToken));
    }

    [Theory, BothDatastores]
    public async Task Only_the_users_own_password_checks_out(DatastoreKind kind)
    {
        await using var store = await Databases.CreateWithAccountsAsync(kind);
        var users = new UserStore(store.Datastore);
        var ann = await users.CreateAsync("Ann", Password, isAdmin: false, TestContext.Current.CancellationToken);

        Assert.True(await users.CheckPasswordAsync(ann!, Password, TestContext.Current.CancellationToken));
        Assert.False(await users.CheckPasswordAsync(ann!, "Correct horse battery", TestContext.Current.CancellationToken));
        Assert.False(await users.CheckPasswordAsync(ann!, "", TestContext.Current.CancellationToken));
    }

    [Theory, BothDatastores]
    public async Task SetAdmin_makes_and_unmakes_an_admin(DatastoreKind kind)
    {
        await using var store = await Databases.CreateWithAccountsAsync(kind);
        var users = new UserStore(store.Datastore);
        await users.CreateAsync("Ann", Password, isAdmin: false, TestContext.Current.CancellationToken);

        Assert.True(await users.SetAdminAsync("ANN", isAdmin: true, TestContext.Current.CancellationToken));
        Assert.True((await users.FindByNameAsync("Ann", TestContext.Current.CancellationToken))!.IsAdmin);
        Assert.True(await users.SetAdminAsync("ann", isAdmin: false, TestContext.Current.CancellationToken));
        Assert.False((await users.FindByNameAsync("Ann", TestContext.Current.CancellationToken))!.IsAdmin);
        Assert.False(await users.SetAdminAsync("nobody", isAdmin: true, TestContext.Current.CancellationToken));
    }

    [Theory, BothDatastores]
    public async Task SetAdminById_makes_and_unmakes_an_admin_by_id(DatastoreKind kind)
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var store = await Databases.CreateWithAccountsAsync(kind);
        var users = new UserStore(store.Datastore);
        var ann = (await users.CreateAsync("Ann", Password, isAdmin: false, cancel))!;

        Assert.True(await users.SetAdminByIdAsync(ann.Id, isAdmin: true, cancel));
        var promoted = (await users.FindByIdAsync(ann.Id, cancel))!;
        Assert.True(await users.SetAdminByIdAsync(ann.Id, isAdmin: false, cancel));
        var demoted = (await users.FindByIdAsync(ann.Id, cancel))!;

        Assert.True(promoted.IsAdmin);
        Assert.False(demoted.IsAdmin);
        Assert.Equal(ann.SecurityStamp, demoted.SecurityStamp);
        Assert.False(await users.SetAdminByIdAsync("no-such-id", isAdmin: true, cancel));
    }

    [Theory, BothDatastores]
    public async Task Locking_changes_the_security_stamp_and_unlocking_keeps_the_new_one(DatastoreKind kind)
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var store = await Databases.CreateWithAccountsAsync(kind);
        var users = new UserStore(store.Datastore);
        var ann = (await users.CreateAsync("Ann", Password, isAdmin: false, cancel))!;

        Assert.True(await users.SetLockedAsync(ann.Id, locked: true, cancel));
        var locked = (await users.FindByIdAsync(ann.Id, cancel))!;
        Assert.True(await users.SetLockedAsync(ann.Id, locked: false, cancel));
        var unlocked = (await users.FindByIdAsync(ann.Id, cancel))!;

        Assert.True(locked.IsLocked);
        Assert.NotEqual(ann.SecurityStamp, locked.SecurityStamp);
        Assert.False(unlocked.IsLocked);
        Assert.Equal(locked.SecurityStamp, unlocked.SecurityStamp);
        Assert.False(await users.SetLockedAsync("no-such-id", locked: true, cancel));
    }

    [Theory, BothDatastores]
    public async Task A_deleted_user_is_found_no_more_and_their_name_is_free_again(DatastoreKind kind)
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var store = await Databases.CreateWithAccountsAsync(kind);
        var users = new UserStore(store.Datastore);
        var ann = (await users.CreateAsync("Ann", Password, isAdmin: false, cancel))!;
        var bob = (await users.CreateAsync("Bob", Password, isAdmin: false, cancel))!;

        Assert.True(await users.DeleteAsync(ann.Id, cancel));

        Assert.Null(await users.FindByIdAsync(ann.Id, cancel));
        Assert.Equal(bob, await users.FindByIdAsync(bob.Id, cancel));
        Assert.False(await users.DeleteAsync(ann.Id, cancel));
        Assert.NotNull(await users.CreateAsync("ann", Password, isAdmin: false, cancel));
    }

    [Theory]
    [InlineData(null, "Choose a user name.")]
    [InlineData("", "Choose a user name.")]
    [InlineData("ann smith", "A user name has letters, digits, '_', '-' and '.' only.")]
    [InlineData("ann/../x", "A user name has letters, digits, '_', '-' and '.' only.")]
    [InlineData("<script>", "A user name has letters, digits, '_', '-' and '.' only.")]
    [InlineData("a123456789b123456789c123456789d123456789e", "A user name has at most 40 characters.")]
    [InlineData("Ann", null)]
    [InlineData("ann_smith-2.0", null)]
    [InlineData("Zoë", null)]
    public void NameProblem_says_what_is_wrong_with_a_name(string? name, string? problem) =>
        Assert.Equal(problem, UserStore.NameProblem(name));

    [Theory]
    [InlineData(null, "Ann", "A password has at least 8 characters.")]
    [InlineData("short", "Ann", "A password has at least 8 characters.")]
    [InlineData("annsmith", "AnnSmith", "The password must not be the user name.")]
    [InlineData("abababab", "Ann", "The password is too simple: use at least 4 different characters.")]
    [InlineData("abcdabcd", "Ann", null)]
    [InlineData(Password, "Ann", null)]
    public void PasswordProblem_says_why_a_password_is_too_weak(string? password, string name, string? problem) =>
        Assert.Equal(problem, UserStore.PasswordProblem(password, name));
}
