using Mergepoints.Middleware.Data;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Serving;

public sealed class SessionPersistenceTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task A_session_survives_a_restart_of_the_host()
    {
        var config = _directory.Write("site.json", """{"mounts": [{"path": "/", "app": "welcome"}]}""");
        var data = Path.Combine(_directory.Path, "data");
        System.Net.Cookie session;
        await using (var first = await HostProcess.StartAsync(config, data))
        {
            using var browser = new Browser(first.Url);
            using var _ = await browser.RegisterAsync("gus", "correct-horse");
            session = browser.Session(first.Url);
        }

        await using var second = await HostProcess.StartAsync(config, data);
        using var again = new Browser(second.Url).WithSession(second.Url, session);

        Assert.Equal("""{"name":"gus","admin":false}""", await again.WhoAmIAsync());
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Two_hosts_sharing_a_key_directory_and_a_datastore_accept_each_others_sessions(DatastoreKind kind)
    {
        await using var datastore = await Databases.CreateAsync(kind);
        var config = _directory.Write("site.json", """{"mounts": [{"path": "/", "app": "welcome"}]}""");
        var shared = new Dictionary<string, string>
        {
            ["DataProtection__KeyDirectory"] = Path.Combine(_directory.Path, "shared-keys"),
            ["Datastore__SqlitePath"] = Path.Combine(_directory.Path, "shared.db"),
            ["Datastore__Postgres"] = datastore.PostgresConnectionString ?? "",
        };
        await using var one = await HostProcess.StartAsync(config, Path.Combine(_directory.Path, "one"), shared);
        await using var two = await HostProcess.StartAsync(config, Path.Combine(_directory.Path, "two"), shared);
        using var browser = new Browser(one.Url);
        using var _ = await browser.RegisterAsync("hal", "correct-horse");

        using var other = new Browser(two.Url).WithSession(two.Url, browser.Session(one.Url));

        Assert.Equal("""{"name":"hal","admin":false}""", await other.WhoAmIAsync());
    }

    [Fact]
    public async Task An_admin_made_on_the_command_line_signs_in_as_an_admin()
    {
        var config = _directory.Write("site.json", """{"mounts": [{"path": "/", "app": "welcome"}]}""");
        var data = Path.Combine(_directory.Path, "data");

        var (exitCode, output, _) = await HostProcess.RunAsync("users", "add", "root", "--password", "sesame-street", "--admin", "--data", data);
        await using var host = await HostProcess.StartAsync(config, data);
        using var browser = new Browser(host.Url);
        using var login = await browser.LogInAsync("root", "sesame-street");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Created admin root", output, StringComparison.Ordinal);
        Assert.Equal("""{"name":"root","admin":true}""", await browser.WhoAmIAsync());
    }

    public void Dispose() => _directory.Dispose();
}
