using System.Data.Common;
using Dapper;
using Mergepoints.Middleware.Data;
using Mergepoints.Middleware.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Middleware.Tests.Data;

public sealed class MigratorTests
{
    private static readonly Migration[] Steps =
    [
        new(1, "create songs", "CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT NOT NULL)"),
        new(2, "create plays", "CREATE TABLE plays (song_id INTEGER NOT NULL, played_at TEXT NOT NULL)"),
        new(3, "index plays", "CREATE INDEX plays_by_song ON plays (song_id)"),
    ];

    [Theory, BothDatastores]
    public async Task Applying_twice_applies_nothing_the_second_time(DatastoreKind kind)
    {
        await using var store = await Databases.CreateAsync(kind);
        var migrator = new Migrator(store.Datastore);

        var first = await migrator.ApplyAsync("songs", Steps, TestContext.Current.CancellationToken);
        var second = await migrator.ApplyAsync("songs", Steps, TestContext.Current.CancellationToken);

        Assert.Equal([1, 2, 3], first.Select(m => m.Version));
        Assert.Empty(second);
        Assert.Equal([1, 2, 3], await AppliedVersionsAsync(store.Datastore, "songs"));
    }

    [Theory, BothDatastores]
    public async Task Each_owner_keeps_its_own_versions(DatastoreKind kind)
    {
        await using var store = await Databases.CreateAsync(kind);
        var migrator = new Migrator(store.Datastore);

        await migrator.ApplyAsync("songs", Steps[..1], TestContext.Current.CancellationToken);
        var other = await migrator.ApplyAsync("jobs", [new(1, "create jobs", "CREATE TABLE jobs (id INTEGER PRIMARY KEY)")], TestContext.Current.CancellationToken);
        var later = await migrator.ApplyAsync("songs", Steps, TestContext.Current.CancellationToken);

        Assert.Single(other);
        Assert.Equal([2, 3], later.Select(m => m.Version));
        Assert.Equal([1], await AppliedVersionsAsync(store.Datastore, "jobs"));
    }

    [Theory, BothDatastores]
    public async Task A_failing_step_leaves_the_schema_as_it_was_and_names_owner_and_step(DatastoreKind kind)
    {
        await using var store = await Databases.CreateAsync(kind);
        Migration[] steps =
        [
            Steps[0],
            new(2, "plays and a typo", "CREATE TABLE plays (song_id INTEGER NOT NULL); SELEKT nothing FROM plays"),
        ];

        var failure = await Assert.ThrowsAsync<MigrationException>(() =>
            new Migrator(store.Datastore).ApplyAsync("songs", steps, TestContext.Current.CancellationToken));

        Assert.Contains("songs migration 2 (plays and a typo)", failure.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<DbException>(failure.InnerException);
        Assert.True(await TableExistsAsync(store.Datastore, "songs"));
        Assert.False(await TableExistsAsync(store.Datastore, "plays"));
        Assert.Equal([1], await AppliedVersionsAsync(store.Datastore, "songs"));
    }

    [Theory, BothDatastores]
    public async Task A_fixed_step_applies_after_a_failed_run(DatastoreKind kind)
    {
        await using var store = await Databases.CreateAsync(kind);
        var migrator = new Migrator(store.Datastore);
        await Assert.ThrowsAsync<MigrationException>(() => migrator.ApplyAsync(
            "songs", [Steps[0], new(2, "broken", "CREATE TABLE plays (x INTEGER); SELEKT 1")], TestContext.Current.CancellationToken));

        var applied = await migrator.ApplyAsync("songs", Steps, TestContext.Current.CancellationToken);

        Assert.Equal([2, 3], applied.Select(m => m.Version));
        Assert.True(await TableExistsAsync(store.Datastore, "plays"));
    }

    [Theory, BothDatastores]
    public async Task Migrators_racing_on_one_database_apply_each_step_once(DatastoreKind kind)
    {
        await using var store = await Databases.CreateAsync(kind);
        // CREATE TABLE without IF NOT EXISTS: a step applied twice would throw.
        var steps = Enumerable.Range(1, 8).Select(v => new Migration(v, $"table {v}", $"CREATE TABLE race_{v} (id INTEGER)")).ToArray();

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            new Migrator(store.Datastore).ApplyAsync("race", steps, TestContext.Current.CancellationToken))));

        Assert.Equal(steps.Select(s => s.Version), runs.SelectMany(applied => applied).Select(m => m.Version).Order());
        Assert.Equal(steps.Select(s => s.Version), await AppliedVersionsAsync(store.Datastore, "race"));
    }

    private static async Task<IEnumerable<int>> AppliedVersionsAsync(Datastore datastore, string owner)
    {
        await using var connection = await datastore.OpenAsync(TestContext.Current.CancellationToken);
        var versions = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT version FROM schema_migrations WHERE owner = @owner ORDER BY version", new { owner },
            cancellationToken: TestContext.Current.CancellationToken));
        return versions.Select(v => (int)v).ToList();
    }

    // The same question on both databases without their catalogs: a table exists when it can be read.
    private static async Task<bool> TableExistsAsync(Datastore datastore, string table)
    {
        await using var connection = await datastore.OpenAsync(TestContext.Current.CancellationToken);
        try
        {
            await connection.ExecuteScalarAsync(new CommandDefinition($"SELECT COUNT(*) FROM {table}", cancellationToken: TestContext.Current.CancellationToken));
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }
}
