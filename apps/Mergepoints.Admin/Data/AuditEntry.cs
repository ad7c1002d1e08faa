using System.Text.Json;

namespace Mergepoints.Admin.Data;

/// <summary>One change made through the admin: who, when, what, to which record, and the record before and after.</summary>
/// <param name="Id">A version 7 GUID as 32 hex digits, so entries made in one millisecond still sort in order.</param>
/// <param name="At">When it was made.</param>
/// <param name="AdminUserId">The admin's user id.</param>
/// <param name="AdminName">The admin's name then.</param>
/// <param name="Action">What was done, one of <see cref="AuditActions"/>.</param>
/// <param name="RecordKind">What kind of record: user, song, mash, job, counter.</param>
/// <param name="RecordId">Which one.</param>
/// <param name="Before">The record before, as JSON; null when it was created.</param>
/// <param name="After">The record after, as JSON; null when it was deleted.</param>
public sealed record AuditEntry(
    string Id, DateTimeOffset At, string AdminUserId, string AdminName, string Action, string RecordKind, string RecordId, string? Before, string? After)
{
    /// <summary>A new entry made now, with <paramref name="before"/> and <paramref name="after"/> serialized as JSON (camelCase).</summary>
    public static AuditEntry Of(Actor actor, string action, string recordKind, string recordId, object? before, object? after)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return new AuditEntry(
            Guid.CreateVersion7(now).ToString("N"), now, actor.UserId, actor.Name, action, recordKind, recordId, Json(before), Json(after));
    }

    private static string? Json(object? value) => value is null ? null : JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
