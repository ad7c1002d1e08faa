using System.Globalization;
using Dapper;
using Mergepoints.Middleware.Data;
using Microsoft.AspNetCore.Identity;

namespace Mergepoints.Middleware.Users;

/// <summary>
/// Accounts in the shared datastore: create, find, check a password. Names are unique whatever their case
/// (<c>Ann</c> and <c>ann</c> are one user), and every query is parameterized.
/// </summary>
public sealed class UserStore(Datastore datastore)
{
    private const string Columns = "id AS Id, name AS Name, password_hash AS PasswordHash, is_admin AS IsAdmin, is_locked AS IsLocked, security_stamp AS SecurityStamp";
    private static readonly PasswordHasher<User> Hasher = new();

    /// <summary>The shortest password we accept.</summary>
    public const int MinimumPasswordLength = 8;

    /// <summary>The longest name we accept.</summary>
    public const int MaximumNameLength = 40;

    /// <summary>Why <paramref name="name"/> cannot be a user name, or null when it can.</summary>
    public static string? NameProblem(string? name) => name switch
    {
        null or "" => "Choose a user name.",
        { Length: > MaximumNameLength } => $"A user name has at most {MaximumNameLength} characters.",
        _ when name.Any(c => !(char.IsLetterOrDigit(c) || c is '_' or '-' or '.')) => "A user name has letters, digits, '_', '-' and '.' only.",
        _ => null,
    };

    /// <summary>Why <paramref name="password"/> is too weak, or null when it will do.</summary>
    public static string? PasswordProblem(string? password, string? name) => password switch
    {
        null or { Length: < MinimumPasswordLength } => $"A password has at least {MinimumPasswordLength} characters.",
        _ when string.Equals(password, name, StringComparison.OrdinalIgnoreCase) => "The password must not be the user name.",
        _ when password.Distinct().Count() < 4 => "The password is too simple: use at least 4 different characters.",
        _ => null,
    };

    /// <summary>Creates a user; null when the name is taken.</summary>
    public async Task<User?> CreateAsync(string name, string password, bool isAdmin, CancellationToken cancellationToken)
    {
        var user = new User(Guid.NewGuid().ToString("N"), name, "", isAdmin, IsLocked: false, NewStamp());
        user = user with { PasswordHash = Hasher.HashPassword(user, password) };
        await using var connection = await datastore.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (id, name, name_key, password_hash, is_admin, is_locked, security_stamp, created_at)
            VALUES (@Id, @Name, @NameKey, @PasswordHash, @IsAdmin, 0, @SecurityStamp, @CreatedAt)
            ON CONFLICT (name_key) DO NOTHING
            """,
            new { user.Id, user.Name, NameKey = Key(name), user.PasswordHash, IsAdmin = isAdmin ? 1 : 0, user.SecurityStamp, CreatedAt = Now() },
            cancellationToken: cancellationToken));
        return inserted == 1 ? user : null;
    }

    /// <summary>The user called <paramref name="name"/>, whatever its case.</summary>
    public async Task<User?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE name_key = @key", new { key = Key(name) }, cancellationToken: cancellationToken)))?.ToUser();
    }

    /// <summary>The user with <paramref name="id"/>.</summary>
    public async Task<User?> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken)))?.ToUser();
    }

    /// <summary>Makes or unmakes an admin; false when there is no such user.</summary>
    public async Task<bool> SetAdminAsync(string name, bool isAdmin, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET is_admin = @admin WHERE name_key = @key", new { admin = isAdmin ? 1 : 0, key = Key(name) }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Makes or unmakes the admin with <paramref name="id"/> (the admin pages know users by id); false when there is no such user.</summary>
    /// <remarks>No new security stamp: the user's role is read from this row on every request, so it changes at once.</remarks>
    public async Task<bool> SetAdminByIdAsync(string id, bool isAdmin, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET is_admin = @admin WHERE id = @id", new { admin = isAdmin ? 1 : 0, id }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Locks or unlocks the user; false when there is no such user. Locking also gives the user a new security
    /// stamp, so a session signed in before ends even if the user is unlocked again later.
    /// </summary>
    public async Task<bool> SetLockedAsync(string id, bool locked, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            locked
                ? "UPDATE users SET is_locked = 1, security_stamp = @stamp WHERE id = @id"
                : "UPDATE users SET is_locked = 0 WHERE id = @id",
            new { id, stamp = NewStamp() },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Deletes the account; false when there was none. Its sessions end with it. What the user made lives in other
    /// owners' tables, which keep their rows: the caller decides what happens to them.
    /// </summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Whether <paramref name="password"/> is the user's; a weak old hash is quietly upgraded.</summary>
    public async Task<bool> CheckPasswordAsync(User user, string password, CancellationToken cancellationToken)
    {
        var result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await using var connection = await datastore.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET password_hash = @hash WHERE id = @id", new { hash = Hasher.HashPassword(user, password), id = user.Id }, cancellationToken: cancellationToken));
        }
        return result != PasswordVerificationResult.Failed;
    }

    // SQLite hands integers back as long, PostgreSQL as int: a row of its own takes both.
    private sealed class UserRow
    {
        public string Id { get; init; } = "";

        public string Name { get; init; } = "";

        public string PasswordHash { get; init; } = "";

        public long IsAdmin { get; init; }

        public long IsLocked { get; init; }

        public string SecurityStamp { get; init; } = "";

        public User ToUser() => new(Id, Name, PasswordHash, IsAdmin != 0, IsLocked != 0, SecurityStamp);
    }

    private static string Key(string name) => name.ToUpperInvariant();

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
}
