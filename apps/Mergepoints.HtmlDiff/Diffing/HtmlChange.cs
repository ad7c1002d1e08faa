namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>One change: what it was, the markup before and after, and the element it sits in.</summary>
/// <param name="Kind">What changed.</param>
/// <param name="Old">
/// Deleted: the markup inside the <c>&lt;del&gt;</c>; or a comment, or the start tag of an element removed
/// around content that was kept (neither is marked in the markup: they are not visible). Tag or attributes
/// changed: the old start tag. Null for an insertion.
/// </param>
/// <param name="New">
/// Inserted: the markup inside the <c>&lt;ins&gt;</c>; or a comment; or the start tag of a new element around
/// kept content (written with class <c>tagdiff_inserted</c>). Tag or attributes changed: the new start tag.
/// Null for a deletion.
/// </param>
/// <param name="Element">
/// Inserted or deleted: the name of the element the marker sits in (null at the top level). Tag or attributes
/// changed: the element's (new) name.
/// </param>
public sealed record HtmlChange(HtmlChangeKind Kind, string? Old, string? New, string? Element);
