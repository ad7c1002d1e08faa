using Dapper;
using Mergepoints.Counter.Storage;
using Mergepoints.Counter.WriteBehind;
using Mergepoints.Host.BuiltIn;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Host.Tests.Counter;

/// <summary>
/// What the write-behind loop logs when the same thing goes wrong flush after flush, as it does every minute by
/// default until the mash app has made its songs table: one warning, then Debug lines until it changes.
/// </summary>
public sealed class CounterWriteBehindLoopTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failure_that_repeats_is_one_warning_then_debug_until_it_changes()
    {
        await using var store = await Databases.CreateAsync(DatastoreKind.Sqlite);
        await new Migrator(store.Datastore).ApplyAsync(CounterMount.Schema.Owner, CounterMount.Schema.Migrations, Cancel);
        await using var counts = await PlayCounts.OpenAsync(new CounterOptions { Durability = Durability.Memory }, Cancel);
        await counts.IncrementAsync("a", Cancel);
        var logger = new RecordingLogger();
        await using var loop = new CounterWriteBehindLoop(new SongsWriteBehind(counts, store.Datastore.OpenAsync), interval: null, logger);

        // No songs table yet: the same failure three times.
        for (var flush = 0; flush < 3; flush++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => loop.FlushNowAsync(Cancel));
        }
        Assert.Equal([LogLevel.Warning, LogLevel.Debug, LogLevel.Debug], Levels(logger));

        // The table comes, without a row for a: that is a warning of its own, once.
        await ExecuteAsync(store.Datastore, "CREATE TABLE songs (id TEXT PRIMARY KEY, play_count BIGINT NOT NULL DEFAULT 0)");
        await loop.FlushNowAsync(Cancel);
        await loop.FlushNowAsync(Cancel);
        Assert.Equal([LogLevel.Warning, LogLevel.Debug], Levels(logger).Skip(3));
        Assert.Contains("no row in songs", logger.Lines[3].Message, StringComparison.Ordinal);

        // Once the flush works, the same failure coming back is news again.
        await ExecuteAsync(store.Datastore, "INSERT INTO songs (id) VALUES ('a')");
        await loop.FlushNowAsync(Cancel);
        await ExecuteAsync(store.Datastore, "DROP TABLE songs");
        await counts.IncrementAsync("a", Cancel);
        await Assert.ThrowsAnyAsync<Exception>(() => loop.FlushNowAsync(Cancel));
        Assert.Equal([LogLevel.Information, LogLevel.Warning], Levels(logger).Skip(5));
    }

    private static LogLevel[] Levels(RecordingLogger logger) => [.. logger.Lines.Select(line => line.Level)];

    private static async Task ExecuteAsync(Datastore datastore, string sql)
    {
        await using var connection = await datastore.OpenAsync(Cancel);
        await connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: Cancel));
    }
}
