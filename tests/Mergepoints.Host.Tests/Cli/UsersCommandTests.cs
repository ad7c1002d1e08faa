using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Middleware.Data;
using Mergepoints.Middleware.Users;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Cli;

/// <summary><c>mergepoints users admin NAME [--off]</c>: an existing user made an admin, and back.</summary>
public sealed class UsersCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task A_registered_user_is_made_an_admin_and_back_and_an_unknown_one_is_one_line_and_exit_2()
    {
        var data = Path.Combine(_directory.Path, "data");
        var (added, _, _) = await HostProcess.RunAsync("users", "add", "ann", "--password", "sesame-street", "--data", data);

        var (made, madeOutput, _) = await HostProcess.RunAsync("users", "admin", "ANN", "--data", data);
        var asAdmin = await FindAsync(data, "ann");
        var (unmade, unmadeOutput, _) = await HostProcess.RunAsync("users", "admin", "ann", "--off", "--data", data);
        var asUser = await FindAsync(data, "ann");
        var (unknown, _, error) = await HostProcess.RunAsync("users", "admin", "nobody", "--data", data);

        Assert.Equal(0, added);
        Assert.Equal((0, "ann is an admin now.\n"), (made, madeOutput));
        Assert.True(asAdmin!.IsAdmin);
        Assert.Equal((0, "ann is no longer an admin.\n"), (unmade, unmadeOutput));
        Assert.False(asUser!.IsAdmin);
        Assert.Equal(2, unknown);
        Assert.Equal("mergepoints: there is no user nobody: register first, or use users add\n", error);
    }

    private static async Task<User?> FindAsync(string data, string name)
    {
        var datastore = new Datastore(null, Path.Combine(data, "mergepoints.db"), TimeSpan.FromSeconds(5));
        return await new UserStore(datastore).FindByNameAsync(name, TestContext.Current.CancellationToken);
    }

    public void Dispose() => _directory.Dispose();
}
