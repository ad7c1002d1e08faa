namespace Mergepoints.Admin.Data;

/// <summary>Which audit entries to list; every part that is null matches all.</summary>
/// <param name="AdminUserId">Only this admin's changes.</param>
/// <param name="Action">Only this action.</param>
/// <param name="RecordKind">Only changes to this kind of record.</param>
/// <param name="RecordId">Only changes to this record.</param>
public sealed record AuditFilter(string? AdminUserId = null, string? Action = null, string? RecordKind = null, string? RecordId = null);
