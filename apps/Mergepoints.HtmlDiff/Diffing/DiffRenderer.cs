using System.Text;

namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// Writes the diff as one document, <c>&lt;div class="diff"&gt;…&lt;/div&gt;</c>, built on the new document's
/// elements with the old document's deleted content put back where it was.
/// </summary>
/// <remarks>
/// The rules, each there so the output stays balanced, well-formed HTML that reads as a diff:
/// <list type="bullet">
/// <item>Every element of the new document is written, in order, so the tags always balance. An element whose
/// tag changed is written as the new tag with class <c>tagdiff_replaced</c>; one whose attributes changed gets
/// class <c>tagdiff_changed</c>, a <c>data-diff-old-ATTR</c> attribute with the old value for each attribute
/// changed or removed, and <c>data-diff-added</c> naming the attributes added.</item>
/// <item>Deleted words, images, comments and scripts go into <c>&lt;del&gt;</c>, inserted ones into
/// <c>&lt;ins&gt;</c>; a run of them is one marker, deletions first, with the whitespace at the run's ends
/// outside the markers. An image whose source changed is one deletion and one insertion. Markers are never
/// empty.</item>
/// <item>An element deleted or inserted whole (with all its content) is written inside one marker, unless
/// its parent is table structure or a list (<c>table</c>, <c>tbody</c>, <c>tr</c>, <c>ul</c>, …): then the
/// element itself is written, with class <c>tagdiff_deleted</c> or <c>tagdiff_inserted</c>, and its content
/// is marked inside its cells or items. No marker ever sits between rows or items; a stray word that would
/// is put in a cell or item of its own.</item>
/// <item>A deleted tag of an element that is not deleted whole cannot be written without unbalancing the
/// output: it is left out, and its content shows as deleted or kept text.</item>
/// </list>
/// </remarks>
internal sealed class DiffRenderer
{
    private readonly List<HtmlEvent> oldEvents;
    private readonly List<HtmlEvent> newEvents;
    private readonly List<DiffOp> ops;
    private readonly CancellationToken cancellationToken;
    private readonly StringBuilder html = new();
    private readonly List<string> open = [];
    private readonly List<HtmlChange> changes = [];
    private readonly bool[] oldWhole;
    private readonly bool[] newWhole;
    private readonly Dictionary<int, int> renamed = [];
    private string? marker;
    private int markerStart;
    private int markerWrappers;
    private string? markerElement;
    private bool afterPreStart;

    private DiffRenderer(List<HtmlEvent> oldEvents, List<HtmlEvent> newEvents, List<DiffOp> ops, CancellationToken cancellationToken)
    {
        this.oldEvents = oldEvents;
        this.newEvents = newEvents;
        this.ops = ops;
        this.cancellationToken = cancellationToken;
        oldWhole = WholeSubtrees(oldEvents, ops, DiffOpKind.Delete);
        newWhole = WholeSubtrees(newEvents, ops, DiffOpKind.Insert);
        PairRenamedTags();
    }

    public static HtmlDiffResult Render(List<HtmlEvent> oldEvents, List<HtmlEvent> newEvents, List<DiffOp> ops, bool coarse, CancellationToken cancellationToken)
    {
        var renderer = new DiffRenderer(oldEvents, newEvents, ops, cancellationToken);
        renderer.html.Append(coarse ? "<div class=\"diff\" data-diff-coarse=\"true\">" : "<div class=\"diff\">");
        renderer.Body();
        renderer.html.Append("</div>");
        return new HtmlDiffResult(renderer.html.ToString(), renderer.changes, coarse);
    }

    /// <summary>
    /// For each start event: true when the element and everything in it is on one side only (deleted whole
    /// for the old side, inserted whole for the new), so it can be written whole inside one marker.
    /// </summary>
    private static bool[] WholeSubtrees(List<HtmlEvent> events, List<DiffOp> ops, DiffOpKind onlyOnOneSide)
    {
        // An event is one-sided when none of its tokens was kept: a text kept in part is not.
        var kept = new bool[events.Count];
        var changed = new bool[events.Count];
        foreach (var op in ops)
        {
            var token = onlyOnOneSide == DiffOpKind.Delete ? op.Old : op.New;
            if (token.Event < 0)
            {
                continue;
            }
            if (op.Kind == onlyOnOneSide)
            {
                changed[token.Event] = true;
            }
            else
            {
                kept[token.Event] = true;
            }
        }
        var oneSidedBefore = new int[events.Count + 1];
        for (var i = 0; i < events.Count; i++)
        {
            oneSidedBefore[i + 1] = oneSidedBefore[i] + (changed[i] && !kept[i] ? 1 : 0);
        }
        var whole = new bool[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Kind == HtmlEventKind.Start)
            {
                var end = events[i].Partner;
                whole[i] = oneSidedBefore[end + 1] - oneSidedBefore[i] == end - i + 1;
            }
        }
        return whole;
    }

    /// <summary>
    /// Within one run of changes, the n-th start tag deleted and the n-th start tag inserted (neither of them
    /// deleted or inserted whole) are one element whose tag changed.
    /// </summary>
    private void PairRenamedTags()
    {
        var deleted = new List<int>();
        var inserted = new List<int>();
        for (var i = 0; i <= ops.Count; i++)
        {
            if (i == ops.Count || ops[i].Kind == DiffOpKind.Equal)
            {
                foreach (var (oldIndex, newIndex) in deleted.Zip(inserted))
                {
                    renamed[newIndex] = oldIndex;
                }
                deleted.Clear();
                inserted.Clear();
                continue;
            }
            var op = ops[i];
            if (op.Kind == DiffOpKind.Delete && oldEvents[op.Old.Event] is { Kind: HtmlEventKind.Start } && !oldWhole[op.Old.Event])
            {
                deleted.Add(op.Old.Event);
            }
            else if (op.Kind == DiffOpKind.Insert && newEvents[op.New.Event] is { Kind: HtmlEventKind.Start } && !newWhole[op.New.Event])
            {
                inserted.Add(op.New.Event);
            }
        }
    }

    private void Body()
    {
        var i = 0;
        while (i < ops.Count)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            var op = ops[i];
            if (op.Kind == DiffOpKind.Equal)
            {
                Kept(oldEvents[op.Old.Event], newEvents[op.New.Event], op.New);
                i++;
            }
            else if (op.Kind == DiffOpKind.Insert && IsStructural(op.New))
            {
                Structure(op.New.Event);
                i++;
            }
            else
            {
                i = Run(i);
            }
        }
        CloseMarker();
        while (open.Count > 0)
        {
            EndTag(open[^1]);
        }
    }

    /// <summary>An inserted tag that is part of the new document's structure: written as a tag, not in a marker.</summary>
    private bool IsStructural(Token token)
    {
        var htmlEvent = newEvents[token.Event];
        return htmlEvent.Kind == HtmlEventKind.End || (htmlEvent.Kind == HtmlEventKind.Start && !newWhole[token.Event]);
    }

    private void Kept(HtmlEvent oldEvent, HtmlEvent newEvent, Token newToken)
    {
        CloseMarker();
        if (newToken.IsFirst)
        {
            Raw(newEvent.Before);
        }
        switch (newEvent.Kind)
        {
            case HtmlEventKind.Start:
                StartTag(newEvent, AttributeChanges(oldEvent, newEvent));
                break;
            case HtmlEventKind.End:
                EndTag(newEvent.Name!);
                break;
            case HtmlEventKind.Text:
                Text(newToken.Text(newEvent));
                break;
            default:
                if (HtmlElements.Void.Contains(newEvent.Name ?? "") && AttributeChanges(oldEvent, newEvent) is { } attributeChanges)
                {
                    StartTag(newEvent, attributeChanges, push: false);
                }
                else
                {
                    Raw(newEvent.Text);
                }
                break;
        }
    }

    private void Structure(int index)
    {
        CloseMarker();
        var newEvent = newEvents[index];
        Raw(newEvent.Before);
        if (newEvent.Kind == HtmlEventKind.End)
        {
            EndTag(newEvent.Name!);
        }
        else if (renamed.TryGetValue(index, out var oldIndex))
        {
            var oldEvent = oldEvents[oldIndex];
            changes.Add(new HtmlChange(HtmlChangeKind.TagReplaced, TagMarkup(oldEvent), TagMarkup(newEvent), newEvent.Name));
            StartTag(newEvent, new Extras("tagdiff_replaced", []));
        }
        else
        {
            StartTag(newEvent, null);
        }
    }

    /// <summary>
    /// A run of deletions and insertions between kept tokens (or up to an inserted tag): deletions in one
    /// marker, insertions in another, the whitespace at the ends outside.
    /// </summary>
    private int Run(int i)
    {
        var deleted = new List<Piece>();
        var inserted = new List<Piece>();
        while (i < ops.Count && ops[i].Kind != DiffOpKind.Equal)
        {
            var op = ops[i];
            if (op.Kind == DiffOpKind.Delete)
            {
                var oldEvent = oldEvents[op.Old.Event];
                if (oldEvent.Kind == HtmlEventKind.Start && oldWhole[op.Old.Event])
                {
                    deleted.Add(new Piece(op.Old, true));
                    i = Skip(i, DiffOpKind.Delete, oldEvent.Partner);
                    continue;
                }
                if (oldEvent.Kind is HtmlEventKind.Text or HtmlEventKind.Atomic)
                {
                    deleted.Add(new Piece(op.Old, false));
                }
                // A tag of an element not deleted whole: left out (see the remarks).
            }
            else
            {
                if (IsStructural(op.New))
                {
                    break;
                }
                var newEvent = newEvents[op.New.Event];
                inserted.Add(new Piece(op.New, newEvent.Kind == HtmlEventKind.Start));
                if (newEvent.Kind == HtmlEventKind.Start)
                {
                    i = Skip(i, DiffOpKind.Insert, newEvent.Partner);
                    continue;
                }
            }
            i++;
        }
        Flush(deleted, inserted);
        return i;
    }

    /// <summary>Past the ops of a subtree deleted or inserted whole, which follow each other.</summary>
    private int Skip(int i, DiffOpKind kind, int lastEvent)
    {
        while (i < ops.Count && ops[i].Kind == kind && (kind == DiffOpKind.Delete ? ops[i].Old : ops[i].New).Event <= lastEvent)
        {
            i++;
        }
        return i;
    }

    private void Flush(List<Piece> deleted, List<Piece> inserted)
    {
        if (deleted.Count == 0 && inserted.Count == 0)
        {
            return;
        }
        var (deletedLead, deletedTrail) = Edges(deleted, oldEvents);
        var (insertedLead, insertedTrail) = Edges(inserted, newEvents);
        // Whitespace at a run's end goes outside the markers when both sides have it there (or only one side
        // changed): it is then in both documents and marks nothing.
        var lead = Shared(deletedLead, insertedLead, deleted.Count, inserted.Count);
        var trail = Shared(deletedTrail, insertedTrail, deleted.Count, inserted.Count);
        CloseMarker();
        Raw(lead);
        Pieces(deleted, oldEvents, "del", lead.Length > 0 ? deletedLead.Length : 0, trail.Length > 0 ? deletedTrail.Length : 0);
        Pieces(inserted, newEvents, "ins", lead.Length > 0 ? insertedLead.Length : 0, trail.Length > 0 ? insertedTrail.Length : 0);
        CloseMarker();
        Raw(trail);
    }

    private static string Shared(string deleted, string inserted, int deletedCount, int insertedCount) =>
        deletedCount == 0 ? inserted
        : insertedCount == 0 ? deleted
        : deleted.Length > 0 && inserted.Length > 0 ? inserted
        : "";

    /// <summary>The whitespace before the first piece and after the last, when they are words that may lose it.</summary>
    private static (string Lead, string Trail) Edges(List<Piece> pieces, List<HtmlEvent> events)
    {
        if (pieces.Count == 0)
        {
            return ("", "");
        }
        return (Space(pieces[0], events, leading: true), Space(pieces[^1], events, leading: false));
    }

    private static string Space(Piece piece, List<HtmlEvent> events, bool leading)
    {
        var htmlEvent = events[piece.Token.Event];
        if (piece.Subtree || htmlEvent.Kind != HtmlEventKind.Text || htmlEvent.ExactWhitespace)
        {
            return "";
        }
        var text = piece.Token.Text(htmlEvent);
        var span = leading ? text.AsSpan()[..^text.AsSpan().TrimStart(" \t\n\r\f").Length] : text.AsSpan()[text.AsSpan().TrimEnd(" \t\n\r\f").Length..];
        return span.Length == text.Length ? "" : span.ToString();
    }

    private void Pieces(List<Piece> pieces, List<HtmlEvent> events, string kind, int cutLead, int cutTrail)
    {
        for (var p = 0; p < pieces.Count; p++)
        {
            var piece = pieces[p];
            var htmlEvent = events[piece.Token.Event];
            if (piece.Subtree)
            {
                Subtree(events, piece.Token.Event, kind);
                continue;
            }
            var text = htmlEvent.Kind == HtmlEventKind.Text ? piece.Token.Text(htmlEvent) : htmlEvent.Text;
            var from = p == 0 ? cutLead : 0;
            var to = text.Length - (p == pieces.Count - 1 ? cutTrail : 0);
            if (from >= to)
            {
                continue;
            }
            Marker(kind);
            if (htmlEvent.Kind == HtmlEventKind.Text)
            {
                Text(text[from..to]);
            }
            else
            {
                Raw(text);
            }
        }
    }

    /// <summary>An element deleted or inserted whole: in one marker, or marked inside where markers may not go.</summary>
    private void Subtree(List<HtmlEvent> events, int start, string kind)
    {
        if (MarkersAllowed)
        {
            Marker(kind);
            for (var i = start; i <= events[start].Partner; i++)
            {
                var htmlEvent = events[i];
                if (i > start)
                {
                    Raw(htmlEvent.Before);
                }
                switch (htmlEvent.Kind)
                {
                    case HtmlEventKind.Start:
                        StartTag(htmlEvent, null, push: false);
                        break;
                    case HtmlEventKind.End:
                        html.Append("</").Append(htmlEvent.Name).Append('>');
                        break;
                    case HtmlEventKind.Text:
                        Text(htmlEvent.Text);
                        break;
                    default:
                        Raw(htmlEvent.Text);
                        break;
                }
            }
            return;
        }
        var mark = kind == "del" ? "tagdiff_deleted" : "tagdiff_inserted";
        for (var i = start; i <= events[start].Partner; i++)
        {
            var htmlEvent = events[i];
            switch (htmlEvent.Kind)
            {
                case HtmlEventKind.Start:
                    CloseMarker();
                    StartTag(htmlEvent, i == start ? new Extras(mark, []) : null);
                    break;
                case HtmlEventKind.End:
                    CloseMarker();
                    EndTag(htmlEvent.Name!);
                    break;
                default:
                    Marker(kind);
                    if (htmlEvent.Kind == HtmlEventKind.Text)
                    {
                        Text(htmlEvent.Text);
                    }
                    else
                    {
                        Raw(htmlEvent.Text);
                    }
                    break;
            }
        }
        CloseMarker();
    }

    private bool MarkersAllowed => open.Count == 0 || !HtmlElements.NoMarkersAsChildren.Contains(open[^1]);

    /// <summary>Makes sure a marker of this kind is open, closing another and opening a cell or item first where needed.</summary>
    private void Marker(string kind)
    {
        if (marker == kind)
        {
            return;
        }
        CloseMarker();
        markerElement = open.Count > 0 ? open[^1] : null;
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

    private void CloseMarker()
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
            EndTag(open[^1]);
        }
    }

    /// <summary>What to add to a start tag: a class, and attributes that record the old values.</summary>
    private readonly record struct Extras(string Class, List<KeyValuePair<string, string>> Attributes);

    /// <summary>The marks for an element whose attributes changed, or null when they did not (order does not count).</summary>
    private Extras? AttributeChanges(HtmlEvent oldEvent, HtmlEvent newEvent)
    {
        List<KeyValuePair<string, string>>? extra = null;
        foreach (var (name, value) in oldEvent.Attributes)
        {
            if (newEvent.Attribute(name) != value)
            {
                (extra ??= []).Add(new("data-diff-old-" + name, value));
            }
        }
        List<string>? added = null;
        foreach (var (name, _) in newEvent.Attributes)
        {
            if (oldEvent.Attribute(name) is null)
            {
                (added ??= []).Add(name);
            }
        }
        if (extra is null && added is null)
        {
            return null;
        }
        extra ??= [];
        if (added is not null)
        {
            extra.Add(new("data-diff-added", string.Join(' ', added)));
        }
        changes.Add(new HtmlChange(HtmlChangeKind.AttributesChanged, TagMarkup(oldEvent), TagMarkup(newEvent), newEvent.Name));
        return new Extras("tagdiff_changed", extra);
    }

    private static string TagMarkup(HtmlEvent htmlEvent)
    {
        var builder = new StringBuilder();
        AppendStartTag(builder, htmlEvent, null);
        return builder.ToString();
    }

    private void StartTag(HtmlEvent htmlEvent, Extras? extras, bool push = true)
    {
        afterPreStart = false;
        AppendStartTag(html, htmlEvent, extras);
        if (push)
        {
            open.Add(htmlEvent.Name!);
        }
        afterPreStart = HtmlElements.Preformatted.Contains(htmlEvent.Name!);
    }

    private static void AppendStartTag(StringBuilder builder, HtmlEvent htmlEvent, Extras? extras)
    {
        builder.Append('<').Append(htmlEvent.Name);
        var classWritten = false;
        foreach (var (name, value) in htmlEvent.Attributes)
        {
            if (name == "class" && extras is { } withClass)
            {
                AppendAttribute(builder, name, value.Length > 0 ? value + " " + withClass.Class : withClass.Class);
                classWritten = true;
            }
            else
            {
                AppendAttribute(builder, name, value);
            }
        }
        if (extras is { } add)
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
        foreach (var c in value)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '"' => builder.Append("&quot;"),
                '\u00A0' => builder.Append("&nbsp;"),
                _ => builder.Append(c),
            };
        }
        builder.Append('"');
    }

    private void EndTag(string name)
    {
        afterPreStart = false;
        html.Append("</").Append(name).Append('>');
        if (open.Count > 0 && open[^1] == name)
        {
            open.RemoveAt(open.Count - 1);
        }
    }

    private void Text(string text)
    {
        if (afterPreStart && text.StartsWith('\n'))
        {
            // The parser drops a newline right after <pre>: write one more so the text keeps its own.
            html.Append('\n');
        }
        afterPreStart = false;
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => html.Append("&amp;"),
                '<' => html.Append("&lt;"),
                '>' => html.Append("&gt;"),
                '\u00A0' => html.Append("&nbsp;"),
                _ => html.Append(c),
            };
        }
    }

    private void Raw(string markup)
    {
        if (markup.Length > 0)
        {
            afterPreStart = false;
            html.Append(markup);
        }
    }

    /// <summary>A token to write in a marker, or (<see cref="Subtree"/>) the start of an element to write whole.</summary>
    private readonly record struct Piece(Token Token, bool Subtree);
}
