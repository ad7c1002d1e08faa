using Dapper;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Middleware.Data;
using Mergepoints.Middleware.Users;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Admin;

/// <summary>
/// The real host serving MonsterMash at <c>/</c>, the play counter at <c>/api</c> and the admin at a prefix, on
/// SQLite or on a PostgreSQL database of its own, with a way into the datastore for what a test sets up or checks.
/// </summary>
public sealed class AdminTestSite : IAsyncDisposable
{
    public const string Password = "a long enough password";

    private readonly TestDatastore? _postgres;

    private AdminTestSite(RunningSite site, Datastore datastore, string dataDirectory, TestDatastore? postgres)
    {
        Site = site;
        Datastore = datastore;
        DataDirectory = dataDirectory;
        _postgres = postgres;
    }

    public RunningSite Site { get; }

    public Datastore Datastore { get; }

    public string DataDirectory { get; }

    public Uri Url => Site.Url;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<AdminTestSite> StartAsync(
        TempDirectory directory, DatastoreKind kind, string mount = "/admin", IReadOnlyDictionary<string, string?>? settings = null)
    {
        var postgres = kind == DatastoreKind.Postgres ? await Databases.CreateAsync(kind) : null;
        var all = new Dictionary<string, string?>
        {
            // Two workers: a test waits on its own mashes, never on a queue of other tests' ones.
            ["Jobs:Workers"] = "2",
            ["Counter:Durability"] = "memory",
            ["Datastore:Postgres"] = postgres?.PostgresConnectionString,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        try
        {
            var site = await RunningSite.StartAsync(directory, $$"""
                {"mounts": [{"path": "/", "app": "mash"}, {"path": "/api", "app": "counter"}, {"path": "{{mount}}", "app": "admin"}]}
                """, all);
            var data = Path.Combine(directory.Path, "data");
            return new AdminTestSite(site, postgres?.Datastore ?? new Datastore(null, Path.Combine(data, "mergepoints.db"), TimeSpan.FromSeconds(10)), data, postgres);
        }
        catch
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>A user made as <c>mergepoints users add</c> makes one.</summary>
    public async Task<User> AddUserAsync(string name, bool admin = false) =>
        await new UserStore(Datastore).CreateAsync(name, Password, admin, Cancel) ?? throw new InvalidOperationException($"{name} exists");

    public async Task<User?> FindUserAsync(string name) => await new UserStore(Datastore).FindByNameAsync(name, Cancel);

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Datastore.OpenAsync(Cancel);
        return (await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: Cancel)))!;
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await Datastore.OpenAsync(Cancel);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: Cancel));
    }

    /// <summary>The audit log as stored, oldest first.</summary>
    public async Task<IReadOnlyList<AuditRow>> AuditAsync()
    {
        await using var connection = await Datastore.OpenAsync(Cancel);
        return [.. await connection.QueryAsync<AuditRow>(new CommandDefinition(
            """
            SELECT admin_name AS AdminName, action AS Action, record_kind AS RecordKind, record_id AS RecordId, before_json AS Before, after_json AS After
            FROM admin_audit ORDER BY at, id
            """, cancellationToken: Cancel))];
    }

    /// <summary>Where the blob of the song with <paramref name="songId"/> lives, as the library lays blobs out.</summary>
    public async Task<string> BlobPathAsync(string songId)
    {
        var hash = await ScalarAsync<string>("SELECT blob_hash FROM songs WHERE id = @songId", new { songId });
        return Path.Combine(DataDirectory, "blobs", hash[..2], hash[2..4], hash);
    }

    public async ValueTask DisposeAsync()
    {
        await Site.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    public sealed class AuditRow
    {
        public string AdminName { get; init; } = "";

        public string Action { get; init; } = "";

        public string RecordKind { get; init; } = "";

        public string RecordId { get; init; } = "";

        public string? Before { get; init; }

        public string? After { get; init; }
    }
}
