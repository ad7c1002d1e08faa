using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Mergepoints.Middleware.Data;

/// <summary>
/// Applies each app's migrations in order, each in a transaction of its own (both databases roll DDL back),
/// so a failed step leaves the schema as it was. Several hosts starting at once apply each step once: the
/// step's transaction takes the database's write lock before it looks at what is applied.
/// </summary>
public sealed class Migrator(Datastore datastore)
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            owner TEXT NOT NULL,
            version INTEGER NOT NULL,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            PRIMARY KEY (owner, version)
        )
        """;

    /// <summary>Applies what <paramref name="owner"/> has not applied yet; returns the steps it applied now.</summary>
    public async Task<IReadOnlyList<Migration>> ApplyAsync(string owner, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken);
        await CreateTableAsync(connection, cancellationToken);
        var applied = new List<Migration>();
        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            if (await ApplyOneAsync(connection, owner, migration, cancellationToken))
            {
                applied.Add(migration);
            }
        }
        return applied;
    }

    private async Task CreateTableAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // IF NOT EXISTS does not stop two PostgreSQL sessions creating the table at once (the second trips over
        // the catalog's unique index), so the table too is made under the steps' lock.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (datastore.Kind == DatastoreKind.Postgres)
        {
            await TakeWriteLockAsync(connection, transaction, cancellationToken);
        }
        await connection.ExecuteAsync(new CommandDefinition(CreateTable, transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<bool> ApplyOneAsync(DbConnection connection, string owner, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TakeWriteLockAsync(connection, transaction, cancellationToken);
        var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM schema_migrations WHERE owner = @owner AND version = @version",
            new { owner, version = migration.Version }, transaction, cancellationToken: cancellationToken));
        if (done > 0)
        {
            return false;
        }
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (owner, version, name, applied_at) VALUES (@owner, @version, @name, @at)",
                new { owner, version = migration.Version, name = migration.Name, at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) },
                transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbException e)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            throw new MigrationException($"{owner} migration {migration.Version} ({migration.Name}) failed and was rolled back: {e.Message}", e);
        }
    }

    private async Task TakeWriteLockAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // SQLite: a write in the transaction makes it the one writer; PostgreSQL: an advisory lock until commit.
        var sql = datastore.Kind == DatastoreKind.Postgres
            ? "SELECT pg_advisory_xact_lock(7215306)"
            : "UPDATE schema_migrations SET owner = owner WHERE 0 = 1";
        await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
    }
}
