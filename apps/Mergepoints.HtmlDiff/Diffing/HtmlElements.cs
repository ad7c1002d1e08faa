using System.Collections.Frozen;

namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>The element families the walk and the renderer treat differently, in one place.</summary>
internal static class HtmlElements
{
    /// <summary>Elements without content or end tag.</summary>
    public static readonly FrozenSet<string> Void = FrozenSet.Create(StringComparer.Ordinal,
        "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source",
        "track", "wbr", "frame", "basefont", "bgsound");

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

    /// <summary>Start tags that close an open <c>p</c> (the parser's "close a p element").</summary>
    private static readonly FrozenSet<string> ClosesParagraph = FrozenSet.Create(StringComparer.Ordinal,
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
        "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "search", "section",
        "summary", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form", "plaintext", "xmp", "table", "hr",
        "li", "dd", "dt");

    /// <summary>Where the parser stops looking for an open <c>p</c> ("button scope").</summary>
    private static readonly FrozenSet<string> ButtonScope = FrozenSet.Create(StringComparer.Ordinal,
        "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button");

    /// <summary>Where the parser stops looking for an open <c>li</c>, <c>dd</c> or <c>dt</c> to close.</summary>
    private static readonly FrozenSet<string> ListItemStops = FrozenSet.Create(StringComparer.Ordinal,
        "applet", "blockquote", "body", "button", "caption", "center", "dir", "dl", "fieldset", "figure", "footer",
        "form", "header", "html", "main", "marquee", "menu", "nav", "object", "ol", "section", "table", "tbody", "td",
        "template", "tfoot", "th", "thead", "tr", "ul");

    /// <summary>
    /// Whether an HTML parser would keep a <paramref name="name"/> start tag where it is written, inside
    /// <paramref name="open"/> (outermost first). The renderer asks before it writes a deleted or inserted
    /// element into a place the element never was: a <c>&lt;pre&gt;</c> written inside a <c>&lt;p&gt;</c>
    /// would close the paragraph, a <c>&lt;td&gt;</c> outside a row would be dropped, and the output would
    /// no longer be the tree it says it is. These are the parser's rules that a diff can trip; the others need
    /// markup no document of ours produces.
    /// </summary>
    public static bool CanOpen(string name, IReadOnlyList<string> open)
    {
        var parent = open.Count > 0 ? open[^1] : "";
        if (parent is "table" or "thead" or "tbody" or "tfoot" or "tr")
        {
            // Anything else in table structure is moved out of the table by the parser.
            return name switch
            {
                "script" or "style" or "template" => true,
                "td" or "th" => parent == "tr",
                "tr" => parent is "tbody" or "thead" or "tfoot",
                _ => parent == "table" && name is "tbody" or "thead" or "tfoot" or "caption" or "colgroup",
            };
        }
        switch (name)
        {
            case "td" or "th":
                return parent == "tr";
            case "tr":
                return parent is "tbody" or "thead" or "tfoot";
            case "tbody" or "thead" or "tfoot" or "caption" or "colgroup":
                return parent == "table";
            case "col":
                return parent == "colgroup";
            case "li" or "dd" or "dt":
                for (var i = open.Count - 1; i >= 0; i--)
                {
                    if (open[i] is "li" or "dd" or "dt" && (name == "li") == (open[i] == "li"))
                    {
                        return false;
                    }
                    if (ListItemStops.Contains(open[i]))
                    {
                        break;
                    }
                }
                break;
            case "a" or "form" or "button" or "nobr":
                if (open.Contains(name))
                {
                    return false;
                }
                break;
        }
        if (ClosesParagraph.Contains(name) || (name.Length == 2 && name[0] == 'h' && name[1] is >= '1' and <= '6'))
        {
            for (var i = open.Count - 1; i >= 0; i--)
            {
                if (open[i] == "p")
                {
                    return false;
                }
                if (ButtonScope.Contains(open[i]))
                {
                    break;
                }
            }
        }
        return true;
    }
}
