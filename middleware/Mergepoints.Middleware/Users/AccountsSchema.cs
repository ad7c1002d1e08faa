using Mergepoints.Middleware.Data;

namespace Mergepoints.Middleware.Users;

/// <summary>The tables the accounts own, as versioned migrations.</summary>
public static class AccountsSchema
{
    /// <summary>The owner name in <c>schema_migrations</c>.</summary>
    public const string Owner = "accounts";

    /// <summary>Every step, oldest first.</summary>
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "create users", """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                name_key TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                is_admin INTEGER NOT NULL DEFAULT 0,
                is_locked INTEGER NOT NULL DEFAULT 0,
                security_stamp TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """),
    ];
}
