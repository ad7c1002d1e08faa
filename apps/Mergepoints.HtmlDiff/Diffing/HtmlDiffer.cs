namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// Diffs two HTML documents as streams of parsed DOM events and renders one document with the differences
/// marked. (Skeleton: the library issue replaces this body.)
/// </summary>
public static class HtmlDiffer
{
    /// <summary>The diff of <paramref name="oldHtml"/> against <paramref name="newHtml"/>.</summary>
    public static HtmlDiffResult Diff(string oldHtml, string newHtml, HtmlDiffOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}

/// <summary>What a caller may ask of a diff.</summary>
public sealed record HtmlDiffOptions
{
    /// <summary>Marks whitespace-only changes outside <c>&lt;pre&gt;</c> too.</summary>
    public bool ShowWhitespaceChanges { get; init; }
}

/// <summary>A finished diff.</summary>
/// <param name="Html">The inline document: <c>&lt;div class="diff"&gt;…&lt;/div&gt;</c>.</param>
/// <param name="Changes">Each change, in document order, for callers that want data rather than markup.</param>
/// <param name="Coarse">True when the documents differed so much that the diff fell back to a coarser granularity.</param>
public sealed record HtmlDiffResult(string Html, IReadOnlyList<HtmlChange> Changes, bool Coarse);

/// <summary>The kinds of change the rendering marks.</summary>
public enum HtmlChangeKind
{
    /// <summary>Content only in the new document.</summary>
    Inserted,
    /// <summary>Content only in the old document.</summary>
    Deleted,
    /// <summary>An element whose tag changed and whose content did not.</summary>
    TagReplaced,
    /// <summary>An element whose attributes changed.</summary>
    AttributesChanged,
}

/// <summary>One change: what it was, the text or markup before and after, and the element it sits in.</summary>
public sealed record HtmlChange(HtmlChangeKind Kind, string? Old, string? New, string? Element);
