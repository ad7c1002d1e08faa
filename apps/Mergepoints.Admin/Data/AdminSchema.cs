using Mergepoints.Middleware.Data;

namespace Mergepoints.Admin.Data;

/// <summary>
/// The admin's one table, <c>admin_audit</c>: every change made through the admin, who made it, and the record
/// before and after as JSON text. Times are BIGINT Unix milliseconds, as in the job queue's and the library's
/// tables, so they sort and compare the same on SQLite and PostgreSQL. The admin and the record are kept by id
/// and by name, with no foreign keys: the trail must outlive the users and records it speaks of.
/// </summary>
public static class AdminSchema
{
    /// <summary>The owner name in <c>schema_migrations</c>.</summary>
    public const string Owner = "admin";

    /// <summary>Every step, oldest first.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "create admin_audit", """
            CREATE TABLE admin_audit (
                id TEXT PRIMARY KEY,
                at BIGINT NOT NULL,
                admin_user_id TEXT NOT NULL,
                admin_name TEXT NOT NULL,
                action TEXT NOT NULL,
                record_kind TEXT NOT NULL,
                record_id TEXT NOT NULL,
                before_json TEXT,
                after_json TEXT
            );
            CREATE INDEX admin_audit_by_at ON admin_audit (at, id);
            CREATE INDEX admin_audit_by_record ON admin_audit (record_kind, record_id, at);
            CREATE INDEX admin_audit_by_admin ON admin_audit (admin_user_id, at);
            """),
    ];
}
