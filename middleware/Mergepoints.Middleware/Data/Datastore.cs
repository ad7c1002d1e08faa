using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Mergepoints.Middleware.Data;

/// <summary>
/// The shared datastore every app meets in: SQLite at <c>data/mergepoints.db</c> unless a PostgreSQL connection
/// string is configured. Apps get connections, never the choice: each app's SQL must run on both.
/// </summary>
public sealed class Datastore
{
    private readonly string _connectionString;

    /// <summary>Chooses PostgreSQL when <paramref name="postgresConnectionString"/> is set, else SQLite at <paramref name="sqlitePath"/>.</summary>
    public Datastore(string? postgresConnectionString, string sqlitePath, TimeSpan busyTimeout)
    {
        if (!string.IsNullOrWhiteSpace(postgresConnectionString))
        {
            Kind = DatastoreKind.Postgres;
            _connectionString = postgresConnectionString;
            Description = $"PostgreSQL ({new NpgsqlConnectionStringBuilder(postgresConnectionString) { Password = null }})";
            return;
        }
        Kind = DatastoreKind.Sqlite;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(sqlitePath))!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = sqlitePath,
            // Microsoft.Data.Sqlite retries a busy database until this timeout: our busy timeout.
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
            ForeignKeys = true,
            Pooling = true,
        }.ToString();
        Description = $"SQLite ({Path.GetFullPath(sqlitePath)})";
    }

    /// <summary>Which database this is.</summary>
    public DatastoreKind Kind { get; }

    /// <summary>The database, for the start-up lines; never the password.</summary>
    public string Description { get; }

    /// <summary>A new connection, not yet open.</summary>
    public DbConnection CreateConnection() => Kind == DatastoreKind.Postgres
        ? new NpgsqlConnection(_connectionString)
        : new SqliteConnection(_connectionString);

    /// <summary>A new open connection.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Makes the database ready for many readers and a writer at once: SQLite goes to write-ahead logging
    /// (kept in the file, so once is enough); PostgreSQL needs nothing.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (Kind != DatastoreKind.Sqlite)
        {
            return;
        }
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
