namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>Whether a token is in both documents, only the old one, or only the new one.</summary>
internal enum DiffOpKind
{
    Equal,
    Delete,
    Insert,
}
