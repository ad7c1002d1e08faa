using System.Text.Json;
using Mergepoints.Admin.Data;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Admin.Data;

/// <summary>The audit log on both databases: entries stand or fall with their change's transaction, and list by filter, newest first.</summary>
public sealed class AuditLogTests
{
    private static readonly Actor Root = new("root-id", "root");
    private static readonly Actor Ann = new("ann-id", "ann");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task Entries_list_newest_first_by_admin_action_and_record_a_page_at_a_time(DatastoreKind kind)
    {
        await using var store = await CreateAsync(kind);
        var audit = new AuditLog(store.Datastore);
        await audit.RecordAsync(AuditEntry.Of(Root, AuditActions.Lock, "user", "u1", new { isLocked = false }, new { isLocked = true }), Cancel);
        await audit.RecordAsync(AuditEntry.Of(Ann, AuditActions.Unlock, "user", "u1", new { isLocked = true }, new { isLocked = false }), Cancel);
        await audit.RecordAsync(AuditEntry.Of(Root, AuditActions.DeleteSong, "song", "s1", new { title = "Night \"Song\"" }, null), Cancel);

        var all = await audit.ListAsync(new AuditFilter(), new ListPage(1), Cancel);
        var roots = await audit.ListAsync(new AuditFilter(AdminUserId: "root-id"), new ListPage(1), Cancel);
        var locks = await audit.ListAsync(new AuditFilter(Action: AuditActions.Lock), new ListPage(1), Cancel);
        var user = await audit.ListAsync(new AuditFilter(RecordKind: "user", RecordId: "u1"), new ListPage(2, 1), Cancel);
        var none = await audit.ListAsync(new AuditFilter(RecordId: "' OR 1=1 --"), new ListPage(1), Cancel);

        Assert.Equal([AuditActions.DeleteSong, AuditActions.Unlock, AuditActions.Lock], all.Items.Select(e => e.Action));
        Assert.Equal([AuditActions.DeleteSong, AuditActions.Lock], roots.Items.Select(e => e.Action));
        Assert.Equal("root", Assert.Single(locks.Items).AdminName);
        Assert.Equal((2, 2L, AuditActions.Lock), (user.PageCount, user.Total, Assert.Single(user.Items).Action));
        Assert.Empty(none.Items);
        var deleted = all.Items[0];
        Assert.Equal("Night \"Song\"", JsonDocument.Parse(deleted.Before!).RootElement.GetProperty("title").GetString());
        Assert.Null(deleted.After);
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task An_entry_written_in_a_transaction_that_rolls_back_is_gone_with_it(DatastoreKind kind)
    {
        await using var store = await CreateAsync(kind);
        await using (var connection = await store.Datastore.OpenAsync(Cancel))
        {
            await using var transaction = await connection.BeginTransactionAsync(Cancel);
            await AuditLog.WriteAsync(connection, transaction, AuditEntry.Of(Root, AuditActions.RenameSong, "song", "s1", new { title = "a" }, new { title = "b" }), Cancel);
            await transaction.RollbackAsync(Cancel);
        }

        Assert.Equal(0, (await new AuditLog(store.Datastore).ListAsync(new AuditFilter(), new ListPage(1), Cancel)).Total);
    }

    private static async Task<TestDatastore> CreateAsync(DatastoreKind kind)
    {
        var store = await Databases.CreateAsync(kind);
        await new Migrator(store.Datastore).ApplyAsync(AdminSchema.Owner, AdminSchema.Migrations, Cancel);
        return store;
    }
}
