using System.Data.Common;
using Dapper;
using Mergepoints.Mash.Library;
using Mergepoints.Middleware.Data;

namespace Mergepoints.Admin.Data;

/// <summary>
/// The <c>admin_audit</c> table: written beside every change the admin makes (in the change's own transaction
/// when the change is SQL of the admin's own), read by the audit page and the dashboard, newest first.
/// </summary>
internal sealed class AuditLog(Datastore datastore)
{
    private const string Columns = """
        id AS Id, at AS At, admin_user_id AS AdminUserId, admin_name AS AdminName, action AS Action,
        record_kind AS RecordKind, record_id AS RecordId, before_json AS Before, after_json AS After
        """;

    /// <summary>Writes <paramref name="entry"/> inside <paramref name="transaction"/>, so it stands or falls with the change.</summary>
    public static Task WriteAsync(DbConnection connection, DbTransaction? transaction, AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(entry);
        return connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO admin_audit (id, at, admin_user_id, admin_name, action, record_kind, record_id, before_json, after_json)
            VALUES (@Id, @At, @AdminUserId, @AdminName, @Action, @RecordKind, @RecordId, @Before, @After)
            """,
            new { entry.Id, At = entry.At.ToUnixTimeMilliseconds(), entry.AdminUserId, entry.AdminName, entry.Action, entry.RecordKind, entry.RecordId, entry.Before, entry.After },
            transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Writes <paramref name="entry"/> on its own, after a change a library made in its own transaction.</summary>
    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        await WriteAsync(connection, null, entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One page of the entries <paramref name="filter"/> lets through, newest first.</summary>
    public async Task<Paged<AuditEntry>> ListAsync(AuditFilter filter, ListPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var conditions = new List<string>();
        if (filter.AdminUserId is not null)
        {
            conditions.Add("admin_user_id = @AdminUserId");
        }
        if (filter.Action is not null)
        {
            conditions.Add("action = @Action");
        }
        if (filter.RecordKind is not null)
        {
            conditions.Add("record_kind = @RecordKind");
        }
        if (filter.RecordId is not null)
        {
            conditions.Add("record_id = @RecordId");
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var parameters = new { filter.AdminUserId, filter.Action, filter.RecordKind, filter.RecordId, page.Size, page.Skip };
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            $"SELECT {Columns} FROM admin_audit {where} ORDER BY at DESC, id DESC LIMIT @Size OFFSET @Skip", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM admin_audit {where}", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new Paged<AuditEntry>([.. rows.Select(row => row.ToEntry())], page.Number, page.Size, total);
    }

    // Times are Unix milliseconds until here.
    private sealed class AuditRow
    {
        public string Id { get; init; } = "";

        public long At { get; init; }

        public string AdminUserId { get; init; } = "";

        public string AdminName { get; init; } = "";

        public string Action { get; init; } = "";

        public string RecordKind { get; init; } = "";

        public string RecordId { get; init; } = "";

        public string? Before { get; init; }

        public string? After { get; init; }

        public AuditEntry ToEntry() =>
            new(Id, DateTimeOffset.FromUnixTimeMilliseconds(At), AdminUserId, AdminName, Action, RecordKind, RecordId, Before, After);
    }
}
