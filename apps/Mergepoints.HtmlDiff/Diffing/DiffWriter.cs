using System.Buffers;
using System.Text;

namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// Writes the diff's markup and keeps its invariants, whatever the renderer asks: every element written is
/// closed in order (a stack of open elements); a marker (<c>ins</c>/<c>del</c>) is opened only right before
/// content goes into it, so none is empty; where markers may not be children (table structure, lists), a
/// cell or item is opened around the marker first; text and attribute values are escaped.
/// </summary>
internal sealed class DiffWriter(string opening, string closing)
{
    private readonly StringBuilder html = new StringBuilder().Append(opening);
    private readonly List<string> open = [];
    private readonly List<HtmlChange> changes = [];
    private string? marker;
    private int markerStart;
    private int markerWrappers;
    private string? markerElement;
    private bool afterPreStart;

    // Per side (0 old, 1 new): the last text written for it ended inside a word; a tag that parted words was
    // left out since.
    private readonly bool[] glued = new bool[2];
    private readonly bool[] pendingBreak = new bool[2];

    /// <summary>The open elements, outermost first.</summary>
    public IReadOnlyList<string> Open => open;

    public IReadOnlyList<HtmlChange> Changes => changes;

    /// <summary>The name of the innermost open element, or null at the top level.</summary>
    public string? Element => open.Count > 0 ? open[^1] : null;

    /// <summary>The marker open now (<c>del</c>, <c>ins</c>), or null.</summary>
    public string? OpenMarker => marker;

    /// <summary>The old side's last text ended inside a word: what comes next on that side would join it.</summary>
    public bool OldGlued => glued[0];

    public bool MarkersAllowed => open.Count == 0 || !HtmlElements.NoMarkersAsChildren.Contains(open[^1]);

    public bool CanOpen(string name) => HtmlElements.CanOpen(name, open);

    public void Change(HtmlChange change) => changes.Add(change);

    /// <summary>
    /// A tag (or comment) was left out here, on the side <paramref name="kind"/> (<c>del</c> or <c>ins</c>)
    /// stands for. An element's edge parts words; if the tag was all that parted the text before from the text
    /// after, the next text of that side starts with a space, so the two stay two words.
    /// </summary>
    public void LeftOut(string kind) => pendingBreak[kind == "del" ? 0 : 1] = true;

    /// <summary>The old document has a word break here that the text written next may lack: keep it (see <see cref="KeepWordsApart"/>).</summary>
    public void OldBreak() => pendingBreak[0] = true;

    /// <summary>
    /// Whitespace only the new document has here, before kept text: written as it is where the old side is
    /// at a word break anyway, else as an insertion (it parts words the old document had together).
    /// </summary>
    public void NewOnlySpace(string space)
    {
        if (!glued[0] || pendingBreak[0])
        {
            Text(space);
            return;
        }
        CloseMarker();
        html.Append("<ins>");
        Text(space);
        html.Append("</ins>");
        changes.Add(new HtmlChange(HtmlChangeKind.Inserted, null, space, Element));
    }

    /// <summary>Makes sure a marker of this kind is open, closing another and opening a cell or item first where needed.</summary>
    public void Marker(string kind)
    {
        if (marker == kind)
        {
            return;
        }
        CloseMarker();
        markerElement = Element;
        if (!MarkersAllowed)
        {
            var wrappers = HtmlElements.WrapperFor(open[^1]);
            foreach (var wrapper in wrappers)
            {
                html.Append('<').Append(wrapper).Append('>');
                open.Add(wrapper);
            }
            markerWrappers = wrappers.Length;
        }
        html.Append('<').Append(kind).Append('>');
        marker = kind;
        markerStart = html.Length;
    }

    public void CloseMarker()
    {
        if (marker is null)
        {
            return;
        }
        var content = html.ToString(markerStart, html.Length - markerStart);
        changes.Add(marker == "del"
            ? new HtmlChange(HtmlChangeKind.Deleted, content, null, markerElement)
            : new HtmlChange(HtmlChangeKind.Inserted, null, content, markerElement));
        html.Append("</").Append(marker).Append('>');
        marker = null;
        for (; markerWrappers > 0; markerWrappers--)
        {
            EndTag();
        }
    }

    /// <summary>A start tag; pushed unless the element is void.</summary>
    public void StartTag(HtmlEvent htmlEvent, TagMarks? marks = null)
    {
        AppendStartTag(html, htmlEvent, marks);
        var name = htmlEvent.Name!;
        Boundary();
        if (!HtmlElements.Void.Contains(name))
        {
            open.Add(name);
        }
        afterPreStart = HtmlElements.Preformatted.Contains(name);
    }

    /// <summary>Closes the innermost open element.</summary>
    public void EndTag()
    {
        html.Append("</").Append(open[^1]).Append('>');
        open.RemoveAt(open.Count - 1);
        Boundary();
    }

    /// <summary>Markup written as it is: an atomic element or a comment, serialized by the parser.</summary>
    public void Markup(string markup)
    {
        html.Append(markup);
        Boundary();
    }

    public void Text(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return;
        }
        if (afterPreStart && text[0] == '\n')
        {
            // The parser drops a newline right after <pre>: write one more so the text keeps its own.
            html.Append('\n');
        }
        afterPreStart = false;
        if (!EventStream.IsSpace(text[0]))
        {
            KeepWordsApart();
        }
        pendingBreak[0] &= marker == "ins";
        pendingBreak[1] &= marker == "del";
        Escape(html, text, TextSpecials);
        var endsInWord = !EventStream.IsSpace(text[^1]);
        if (marker != "ins")
        {
            glued[0] = endsInWord;
        }
        if (marker != "del")
        {
            glued[1] = endsInWord;
        }
    }

    /// <summary>
    /// Before text that starts a word: where a left-out tag parted it from the word before, a space in the
    /// marker being written; before kept text, a deleted or inserted space of its own (the text is in both
    /// documents, the break only in one).
    /// </summary>
    private void KeepWordsApart()
    {
        var oldBreak = pendingBreak[0] && glued[0];
        var newBreak = pendingBreak[1] && glued[1];
        if (marker == "del" ? oldBreak : marker == "ins" ? newBreak : false)
        {
            html.Append(' ');
            return;
        }
        if (marker is null && oldBreak && newBreak)
        {
            html.Append(' ');
        }
        else if (marker is null && (oldBreak || newBreak))
        {
            var kind = oldBreak ? "del" : "ins";
            html.Append('<').Append(kind).Append(" class=\"tagdiff_break\"> </").Append(kind).Append('>');
            changes.Add(oldBreak ? new HtmlChange(HtmlChangeKind.Deleted, " ", null, Element) : new HtmlChange(HtmlChangeKind.Inserted, null, " ", Element));
        }
    }

    /// <summary>Closes what is still open and returns the markup, between the opening and closing given at the start.</summary>
    public string Finish()
    {
        CloseMarker();
        while (open.Count > 0)
        {
            EndTag();
        }
        return html.Append(closing).ToString();
    }

    /// <summary>After a tag, atomic piece or comment: it parts words on the side it is written for.</summary>
    private void Boundary()
    {
        afterPreStart = false;
        if (marker != "ins")
        {
            glued[0] = pendingBreak[0] = false;
        }
        if (marker != "del")
        {
            glued[1] = pendingBreak[1] = false;
        }
    }

    public static string StartTagMarkup(HtmlEvent htmlEvent)
    {
        var builder = new StringBuilder();
        AppendStartTag(builder, htmlEvent, null);
        return builder.ToString();
    }

    private static void AppendStartTag(StringBuilder builder, HtmlEvent htmlEvent, TagMarks? marks)
    {
        builder.Append('<').Append(htmlEvent.Name);
        var classWritten = false;
        foreach (var (name, value) in htmlEvent.Attributes)
        {
            if (name == "class" && marks is { } withClass)
            {
                AppendAttribute(builder, name, value.Length > 0 ? value + " " + withClass.Class : withClass.Class);
                classWritten = true;
            }
            else
            {
                AppendAttribute(builder, name, value);
            }
        }
        if (marks is { } add)
        {
            if (!classWritten)
            {
                AppendAttribute(builder, "class", add.Class);
            }
            foreach (var (name, value) in add.Attributes)
            {
                AppendAttribute(builder, name, value);
            }
        }
        builder.Append('>');
    }

    private static void AppendAttribute(StringBuilder builder, string name, string value)
    {
        builder.Append(' ').Append(name).Append("=\"");
        Escape(builder, value, AttributeSpecials);
        builder.Append('"');
    }

    private static readonly SearchValues<char> TextSpecials = SearchValues.Create("&<>\u00A0");
    private static readonly SearchValues<char> AttributeSpecials = SearchValues.Create("&\"\u00A0");

    /// <summary>Text as HTML to be written inside an element, for markup made before the writer runs.</summary>
    public static string EscapeText(string text)
    {
        var builder = new StringBuilder(text.Length);
        Escape(builder, text, TextSpecials);
        return builder.ToString();
    }

    /// <summary>Appends <paramref name="text"/> with the characters in <paramref name="specials"/> as entities, the runs between them as they are.</summary>
    private static void Escape(StringBuilder builder, ReadOnlySpan<char> text, SearchValues<char> specials)
    {
        while (true)
        {
            var at = text.IndexOfAny(specials);
            if (at < 0)
            {
                builder.Append(text);
                return;
            }
            builder.Append(text[..at]).Append(text[at] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => "&nbsp;",
            });
            text = text[(at + 1)..];
        }
    }
}
