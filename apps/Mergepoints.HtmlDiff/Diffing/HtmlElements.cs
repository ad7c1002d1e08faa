using System.Collections.Frozen;

namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>The element families the walk and the renderer treat differently, in one place.</summary>
internal static class HtmlElements
{
    /// <summary>Elements without content or end tag.</summary>
    public static readonly FrozenSet<string> Void = FrozenSet.Create(StringComparer.Ordinal,
        "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source",
        "track", "wbr");

    /// <summary>
    /// Elements compared and shown whole: raw-text content (a marker inside would become script or style
    /// text), foreign content (svg, math), and elements whose content model admits no <c>ins</c>/<c>del</c>
    /// (<c>select</c>, <c>colgroup</c>, <c>datalist</c>).
    /// </summary>
    public static readonly FrozenSet<string> Whole = FrozenSet.Create(StringComparer.Ordinal,
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext", "template",
        "svg", "math", "select", "colgroup", "datalist");

    /// <summary>
    /// Elements whose children may not be <c>ins</c>/<c>del</c> (table structure and lists): a change inside
    /// them is marked inside the cell or item, never between rows or items.
    /// </summary>
    public static readonly FrozenSet<string> NoMarkersAsChildren = FrozenSet.Create(StringComparer.Ordinal,
        "table", "thead", "tbody", "tfoot", "tr", "ul", "ol", "menu", "dl");

    /// <summary>Where whitespace is content: text inside these is compared exactly.</summary>
    public static readonly FrozenSet<string> Preformatted = FrozenSet.Create(StringComparer.Ordinal,
        "pre", "listing");

    /// <summary>Elements the walk leaves out: they would change the page that shows the diff, not show a change.</summary>
    public static readonly FrozenSet<string> Skipped = FrozenSet.Create(StringComparer.Ordinal, "base", "meta");

    /// <summary>
    /// The elements to open so that a marker may be written where <paramref name="parent"/> admits none (a
    /// deleted word that lands between table rows goes into a cell of its own), outermost first.
    /// </summary>
    public static string[] WrapperFor(string parent) => parent switch
    {
        "tr" => ["td"],
        "thead" or "tbody" or "tfoot" => ["tr", "td"],
        "table" => ["tbody", "tr", "td"],
        "dl" => ["dd"],
        _ => ["li"],
    };
}
