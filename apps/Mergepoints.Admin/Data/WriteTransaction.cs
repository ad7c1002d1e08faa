using System.Data.Common;
using Mergepoints.Middleware.Data;
using Microsoft.Data.Sqlite;

namespace Mergepoints.Admin.Data;

/// <summary>
/// A transaction that reads a record, changes it and writes the audit entry, as one. SQLite takes its one write
/// lock up front (BEGIN IMMEDIATE): a deferred transaction that read first could not upgrade once another writer
/// had committed, and would fail instead of waiting its turn. PostgreSQL reads with <see cref="LockRows"/>.
/// </summary>
internal static class WriteTransaction
{
    /// <summary>Begins it on <paramref name="connection"/>.</summary>
    public static async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>What a SELECT inside it ends with, so that no one changes the rows read before the write.</summary>
    public static string LockRows(Datastore datastore) => datastore.Kind == DatastoreKind.Postgres ? " FOR UPDATE" : "";
}
