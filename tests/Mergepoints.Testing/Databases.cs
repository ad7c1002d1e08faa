using Dapper;
using Mergepoints.Middleware.Data;
using Mergepoints.Middleware.Users;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Mergepoints.Testing;

/// <summary>
/// A fresh, empty datastore of either kind for each test, so no test sees another's rows: SQLite in a temp
/// file, PostgreSQL as a new database on the server <c>MERGEPOINTS_TEST_POSTGRES</c> names (./test.sh starts
/// a throwaway one). Without that server the PostgreSQL rows skip, except in CI, where a skip would hide them.
/// </summary>
public static class Databases
{
    public const string PostgresVariable = "MERGEPOINTS_TEST_POSTGRES";

    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>An empty datastore, initialized as the host initializes it.</summary>
    public static async Task<TestDatastore> CreateAsync(DatastoreKind kind)
    {
        var store = kind == DatastoreKind.Postgres ? await CreatePostgresAsync() : CreateSqlite();
        await store.Datastore.InitializeAsync(TestContext.Current.CancellationToken);
        return store;
    }

    /// <summary>A datastore with the accounts' tables.</summary>
    public static async Task<TestDatastore> CreateWithAccountsAsync(DatastoreKind kind)
    {
        var store = await CreateAsync(kind);
        await new Migrator(store.Datastore).ApplyAsync(AccountsSchema.Owner, AccountsSchema.Migrations, TestContext.Current.CancellationToken);
        return store;
    }

    private static TestDatastore CreateSqlite()
    {
        var directory = new TempDirectory();
        var datastore = new Datastore(null, Path.Combine(directory.Path, "mergepoints.db"), BusyTimeout);
        return new TestDatastore(datastore, PostgresConnectionString: null, () =>
        {
            // Pooled connections keep the file open; let go of them before deleting it.
            using (var connection = (SqliteConnection)datastore.CreateConnection())
            {
                SqliteConnection.ClearPool(connection);
            }
            directory.Dispose();
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>The PostgreSQL server the tests may use; skips the test without one, or fails it in CI.</summary>
    public static string PostgresServer()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            MissingPrerequisite.SkipOrFail($"PostgreSQL tests need {PostgresVariable}: run ./test.sh");
        }
        return server;
    }

    private static async Task<TestDatastore> CreatePostgresAsync()
    {
        var server = PostgresServer();
        var name = "mergepoints_test_" + Guid.NewGuid().ToString("N");
        await ExecuteOnServerAsync(server, $"CREATE DATABASE {name}");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        return new TestDatastore(new Datastore(connectionString, "unused.db", BusyTimeout), connectionString, async () =>
        {
            using (var connection = new NpgsqlConnection(connectionString))
            {
                NpgsqlConnection.ClearPool(connection);
            }
            await ExecuteOnServerAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    private static async Task ExecuteOnServerAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: CancellationToken.None));
    }
}
