namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>The kinds of change the rendering marks.</summary>
public enum HtmlChangeKind
{
    /// <summary>Content only in the new document (an <c>&lt;ins&gt;</c>).</summary>
    Inserted,
    /// <summary>Content only in the old document (a <c>&lt;del&gt;</c>).</summary>
    Deleted,
    /// <summary>An element whose tag changed (class <c>tagdiff_replaced</c>).</summary>
    TagReplaced,
    /// <summary>An element whose attributes changed (class <c>tagdiff_changed</c>).</summary>
    AttributesChanged,
}
