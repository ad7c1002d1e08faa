namespace Mergepoints.HtmlDiff.Web;

/// <summary>One field of a posted form.</summary>
/// <param name="Name">The field's name.</param>
/// <param name="Value">Its text; for a file, the file's contents.</param>
/// <param name="FileName">The file's name for a file field (empty when the picker was left empty), null for text.</param>
internal sealed record FormField(string Name, string Value, string? FileName);
