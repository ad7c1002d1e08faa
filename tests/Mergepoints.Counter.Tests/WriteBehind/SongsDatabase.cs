using System.Data.Common;
using Dapper;
using Mergepoints.Counter.WriteBehind;
using Mergepoints.Mash.Library;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.WriteBehind;

/// <summary>
/// A fresh datastore with the counter's migrations applied and the mash library's real <c>songs</c> table, which
/// the write-behind adds plays to (<c>id TEXT PRIMARY KEY</c>, <c>play_count BIGINT NOT NULL DEFAULT 0</c>).
/// </summary>
internal sealed class SongsDatabase : IAsyncDisposable
{
    private readonly TestDatastore _store;

    private SongsDatabase(TestDatastore store) => _store = store;

    public static async Task<SongsDatabase> CreateAsync(DatastoreKind kind, params string[] songs)
    {
        var cancel = TestContext.Current.CancellationToken;
        var store = await Databases.CreateAsync(kind);
        var migrations = CounterSchema.Migrations.Select(m => new Migration(m.Version, m.Name, m.Sql)).ToList();
        await new Migrator(store.Datastore).ApplyAsync(CounterSchema.Owner, migrations, cancel);
        await new Migrator(store.Datastore).ApplyAsync(MashSchema.Owner, MashSchema.Migrations, cancel);
        await using var connection = await store.Datastore.OpenAsync(cancel);
        foreach (var song in songs)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO songs (id, title, blob_hash, content_type, bytes, origin, created_at)
                VALUES (@song, @song, @hash, 'audio/wav', 44, 'upload', 0)
                """,
                new { song, hash = new string('0', 64) }, cancellationToken: cancel));
        }
        return new SongsDatabase(store);
    }

    /// <summary>What <see cref="SongsWriteBehind"/> is given by the host.</summary>
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => _store.Datastore.OpenAsync(cancellationToken);

    public async Task<Dictionary<string, long>> PlayCountsAsync()
    {
        await using var connection = await OpenAsync(TestContext.Current.CancellationToken);
        var rows = await connection.QueryAsync<(string Id, long PlayCount)>(new CommandDefinition(
            "SELECT id, play_count FROM songs", cancellationToken: TestContext.Current.CancellationToken));
        return rows.ToDictionary(row => row.Id, row => row.PlayCount);
    }

    public async Task<long> LedgerRowsAsync()
    {
        await using var connection = await OpenAsync(TestContext.Current.CancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM counter_flushes", cancellationToken: TestContext.Current.CancellationToken));
    }

    /// <summary>The ledger's rows as counter id and seq.</summary>
    public async Task<List<(string CounterId, long Seq)>> LedgerAsync()
    {
        await using var connection = await OpenAsync(TestContext.Current.CancellationToken);
        var rows = await connection.QueryAsync<(string CounterId, long Seq)>(new CommandDefinition(
            "SELECT counter_id, seq FROM counter_flushes", cancellationToken: TestContext.Current.CancellationToken));
        return [.. rows];
    }

    /// <summary>A ledger row as another counter would have left it.</summary>
    public async Task AddLedgerRowAsync(string counterId, long seq)
    {
        await using var connection = await OpenAsync(TestContext.Current.CancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO counter_flushes (counter_id, seq, flushed_at) VALUES (@counterId, @seq, 'then')",
            new { counterId, seq }, cancellationToken: TestContext.Current.CancellationToken));
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
