using System.Buffers;

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
/// changed or removed, and <c>data-diff-added</c> naming the attributes added (attribute order never counts).
/// </item>
/// <item>Deleted words, images and scripts go into <c>&lt;del&gt;</c>, inserted ones into <c>&lt;ins&gt;</c>;
/// a run of them is one marker, deletions first. Whitespace both documents have at a run's ends stays outside
/// the markers. An image whose source changed is one deletion and one insertion; one whose other attributes
/// changed is marked like any element. Markers are never empty. Comments are invisible, so they are never
/// marked: an inserted one is written, a deleted one left out; both are listed in the changes.</item>
/// <item>An element deleted or inserted whole (with all its content) is written inside one marker, unless
/// its parent is table structure or a list (<c>table</c>, <c>tbody</c>, <c>tr</c>, <c>ul</c>, …): then the
/// element itself is written, with class <c>tagdiff_deleted</c> or <c>tagdiff_inserted</c>, and its content
/// is marked inside its cells or items. No marker ever sits between rows or items; a stray word that would
/// is put in a cell or item of its own.</item>
/// <item>A new element around content the old document had (a paragraph split in two, words made bold) is
/// written with class <c>tagdiff_inserted</c>.</item>
/// <item>A tag that cannot be written without unbalancing the output or being moved by a browser's parser
/// (a deleted tag of an element not deleted whole, as when bold is removed or two paragraphs are joined; a
/// deleted <c>&lt;pre&gt;</c> that would land inside a <c>&lt;p&gt;</c>) is left out; its content still
/// shows, a space keeps apart words it parted, and a start tag left out is listed in the changes.</item>
/// </list>
/// </remarks>
internal sealed class DiffRenderer
{
    private readonly List<HtmlEvent> oldEvents;
    private readonly List<HtmlEvent> newEvents;
    private readonly List<DiffOp> ops;
    private readonly CancellationToken cancellationToken;
    private readonly DiffWriter writer;
    private readonly bool[] oldWhole;
    private readonly bool[] newWhole;
    private readonly Dictionary<int, int> renamed = [];
    private readonly HashSet<int> renamedOld = [];
    private bool skipLeadingSpace;

    // Deleted pieces held back past the new document's tags (see Run).
    private List<Piece>? heldBack;

    private DiffRenderer(List<HtmlEvent> oldEvents, List<HtmlEvent> newEvents, List<DiffOp> ops, bool coarse, CancellationToken cancellationToken)
    {
        writer = new DiffWriter(coarse ? "<div class=\"diff\" data-diff-coarse=\"true\">" : "<div class=\"diff\">", "</div>");
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
        var renderer = new DiffRenderer(oldEvents, newEvents, ops, coarse, cancellationToken);
        renderer.Body();
        return new HtmlDiffResult(renderer.writer.Finish(), renderer.writer.Changes, coarse);
    }

    /// <summary>
    /// For each start event: true when the element and everything in it is on one side only (deleted whole
    /// for the old side, inserted whole for the new), so it can be written whole.
    /// </summary>
    private static bool[] WholeSubtrees(List<HtmlEvent> events, List<DiffOp> ops, DiffOpKind oneSide)
    {
        // An event is one-sided when none of its tokens was kept: a text kept in part is not.
        var kept = new bool[events.Count];
        var changed = new bool[events.Count];
        foreach (var op in ops)
        {
            var token = oneSide == DiffOpKind.Delete ? op.Old : op.New;
            if (token.Event >= 0)
            {
                (op.Kind == oneSide ? changed : kept)[token.Event] = true;
            }
        }
        var oneSidedBefore = ArrayPool<int>.Shared.Rent(events.Count + 1);
        oneSidedBefore[0] = 0;
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
        ArrayPool<int>.Shared.Return(oneSidedBefore);
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
                    renamedOld.Add(oldIndex);
                }
                deleted.Clear();
                inserted.Clear();
                continue;
            }
            var op = ops[i];
            if (op.Kind == DiffOpKind.Delete && oldEvents[op.Old.Event].Kind == HtmlEventKind.Start && !oldWhole[op.Old.Event])
            {
                deleted.Add(op.Old.Event);
            }
            else if (op.Kind == DiffOpKind.Insert && newEvents[op.New.Event].Kind == HtmlEventKind.Start && !newWhole[op.New.Event])
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
                if (heldBack is { } deleted)
                {
                    heldBack = null;
                    Flush(deleted, [], i);
                }
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
        if (heldBack is { } rest)
        {
            Flush(rest, [], ops.Count);
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
        writer.CloseMarker();
        var skipSpace = skipLeadingSpace;
        skipLeadingSpace = false;
        if (newToken.IsFirst)
        {
            writer.Text(newEvent.Before);
        }
        switch (newEvent.Kind)
        {
            case HtmlEventKind.Start:
                writer.StartTag(newEvent, AttributeChanges(oldEvent, newEvent));
                break;
            case HtmlEventKind.End:
                writer.EndTag();
                break;
            case HtmlEventKind.Text:
                var text = newToken.Text(newEvent);
                writer.Text(skipSpace && !newEvent.ExactWhitespace ? text.TrimStart(" \t\n\r\f") : text);
                break;
            default:
                if (HtmlElements.Void.Contains(newEvent.Name ?? "") && AttributeChanges(oldEvent, newEvent) is { } marks)
                {
                    writer.StartTag(newEvent, marks);
                }
                else
                {
                    writer.Markup(newEvent.Text);
                }
                break;
        }
    }

    private void Structure(int index)
    {
        writer.CloseMarker();
        var newEvent = newEvents[index];
        writer.Text(newEvent.Before);
        if (newEvent.Kind == HtmlEventKind.End)
        {
            writer.EndTag();
        }
        else if (renamed.TryGetValue(index, out var oldIndex))
        {
            var oldEvent = oldEvents[oldIndex];
            writer.Change(new HtmlChange(HtmlChangeKind.TagReplaced, DiffWriter.StartTagMarkup(oldEvent), DiffWriter.StartTagMarkup(newEvent), newEvent.Name));
            writer.StartTag(newEvent, new TagMarks("tagdiff_replaced"));
        }
        else
        {
            // A new element around content the old document had (a paragraph split, text made bold): the
            // element is new, its content is not.
            writer.Change(new HtmlChange(HtmlChangeKind.Inserted, null, DiffWriter.StartTagMarkup(newEvent), writer.Element));
            writer.StartTag(newEvent, new TagMarks("tagdiff_inserted"));
        }
    }

    /// <summary>
    /// A run of deletions and insertions between kept tokens (or up to an inserted tag): deletions in one
    /// marker, insertions in another.
    /// </summary>
    /// <remarks>
    /// Deleted pieces are the old document's only: they may be written on either side of the new document's
    /// tags without unbalancing anything. When a run stops at a new tag and its deletions do not continue a
    /// word before them, they are held back past that tag, so deleted text that continued the word after it
    /// stays next to it (a new <c>&lt;p&gt;</c> between them would part them).
    /// </remarks>
    private int Run(int i)
    {
        var deleted = heldBack ?? [];
        heldBack = null;
        var inserted = new List<Piece>();
        while (i < ops.Count && ops[i].Kind != DiffOpKind.Equal)
        {
            var op = ops[i];
            if (op.Kind == DiffOpKind.Delete)
            {
                var oldEvent = oldEvents[op.Old.Event];
                if (oldEvent.Kind is HtmlEventKind.Text or HtmlEventKind.Atomic || oldWhole[op.Old.Event])
                {
                    deleted.Add(new Piece(op.Old, oldEvent.Kind == HtmlEventKind.Start));
                    if (oldEvent.Kind == HtmlEventKind.Start)
                    {
                        i = Skip(i, DiffOpKind.Delete, oldEvent.Partner);
                        continue;
                    }
                }
                else
                {
                    // A tag of an element not deleted whole: left out (see the remarks), in its place among
                    // the pieces, for the words it parted. A start tag is still a change (formatting
                    // removed, paragraphs joined), listed with the changes since the markup cannot show it.
                    deleted.Add(new Piece(op.Old, false, LeftOut: true));
                    if (oldEvent.Kind == HtmlEventKind.Start && !renamedOld.Contains(op.Old.Event))
                    {
                        writer.Change(new HtmlChange(HtmlChangeKind.Deleted, DiffWriter.StartTagMarkup(oldEvent), null, writer.Element));
                    }
                }
            }
            else
            {
                if (IsStructural(op.New))
                {
                    if (Written(deleted) > 0 && !JoinsWordBefore(deleted))
                    {
                        heldBack = deleted;
                        deleted = [];
                    }
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
        Flush(deleted, inserted, i);
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

    /// <summary>
    /// Writes a run's markers. Whitespace that both documents have at a place goes outside the markers;
    /// whitespace only one of them has there goes inside that one's marker, so each side reads back with its
    /// own spacing ("A B C" to "B C" is <c>&lt;del&gt;A &lt;/del&gt;B C</c>, not "AB C" for the old side).
    /// </summary>
    private void Flush(List<Piece> deleted, List<Piece> inserted, int next)
    {
        if (deleted.Count == 0 && inserted.Count == 0)
        {
            return;
        }
        var (deletedLead, deletedTrail) = Edges(deleted, oldEvents);
        var (insertedLead, insertedTrail) = Edges(inserted, newEvents);
        var (oldFollowing, newFollowing) = FollowingSpace(next);
        var hasDeleted = Written(deleted) > 0;
        var hasInserted = Written(inserted) > 0;
        var lead = hasDeleted && hasInserted ? (deletedLead.Length > 0 ? insertedLead : "")
            : hasDeleted ? (newFollowing.Length > 0 ? deletedLead : "")
            : oldFollowing.Length > 0 ? insertedLead : "";
        var trail = hasDeleted && hasInserted && deletedTrail.Length > 0 ? insertedTrail : "";
        var deletedTail = hasDeleted && oldFollowing.Length > 0 && newFollowing.Length == 0 ? oldFollowing : "";
        var insertedTail = hasInserted && newFollowing.Length > 0 && oldFollowing.Length == 0 ? newFollowing : "";
        if (hasDeleted && hasInserted)
        {
            // In <pre> whitespace is compared exactly, so it leaves the markers only where it is the same.
            (lead, deletedLead, insertedLead) = lead.Length > 0 ? (lead, deletedLead, insertedLead) : SameExactSpace(deleted[0], inserted[0], leading: true);
            (trail, deletedTrail, insertedTrail) = trail.Length > 0 ? (trail, deletedTrail, insertedTrail) : SameExactSpace(deleted[^1], inserted[^1], leading: false);
        }
        writer.CloseMarker();
        writer.Text(lead);
        Pieces(deleted, oldEvents, "del", lead.Length > 0 ? deletedLead.Length : 0, trail.Length > 0 ? deletedTrail.Length : 0, deletedTail);
        Pieces(inserted, newEvents, "ins", lead.Length > 0 ? insertedLead.Length : 0, trail.Length > 0 ? insertedTrail.Length : 0, insertedTail);
        writer.CloseMarker();
        writer.Text(trail);
        if (oldFollowing.Length > 0 && deletedTail.Length == 0)
        {
            writer.OldBreak();
        }
        // The following kept text's own leading space went into the insertion (or is written here): the old
        // side lacks it.
        skipLeadingSpace = newFollowing.Length > 0 && oldFollowing.Length == 0;
        if (skipLeadingSpace && insertedTail.Length == 0)
        {
            writer.NewOnlySpace(newFollowing);
        }
    }

    /// <summary>The whitespace the kept text right after a run starts with, on each side.</summary>
    private (string Old, string New) FollowingSpace(int next)
    {
        if (next >= ops.Count || ops[next].Kind != DiffOpKind.Equal || newEvents[ops[next].New.Event].Kind != HtmlEventKind.Text)
        {
            return ("", "");
        }
        return (Space(new Piece(ops[next].Old, false), oldEvents, leading: true), Space(new Piece(ops[next].New, false), newEvents, leading: true));
    }

    /// <summary>The whitespace before the first piece and after the last, when they are words that may lose it.</summary>
    private static (string Lead, string Trail) Edges(List<Piece> pieces, List<HtmlEvent> events) =>
        pieces.Count == 0 ? ("", "") : (Space(pieces[0], events, leading: true), Space(pieces[^1], events, leading: false));

    /// <summary>Whether the first deleted piece would continue the old side's last word.</summary>
    private bool JoinsWordBefore(List<Piece> deleted)
    {
        foreach (var piece in deleted)
        {
            var htmlEvent = oldEvents[piece.Token.Event];
            if (piece.LeftOut || piece.Subtree || htmlEvent.Kind != HtmlEventKind.Text)
            {
                return false;
            }
            var text = piece.Token.Text(htmlEvent);
            return text.Length > 0 && !EventStream.IsSpace(text[0]) && writer.OldGlued;
        }
        return writer.OldGlued;
    }

    /// <summary>How many pieces a run writes: left-out tags write nothing.</summary>
    private static int Written(List<Piece> pieces) => pieces.Count(p => !p.LeftOut);

    /// <summary>The whitespace at the same end of two exactly compared texts, when it is the same on both (else none).</summary>
    private (string Shared, string Deleted, string Inserted) SameExactSpace(Piece deleted, Piece inserted, bool leading)
    {
        var space = Space(deleted, oldEvents, leading, exact: true);
        return space.Length > 0 && space == Space(inserted, newEvents, leading, exact: true) ? (space, space, space) : ("", "", "");
    }

    /// <summary>The whitespace at one end of a text piece: of a text compared by its words, or (<paramref name="exact"/>) of one compared exactly.</summary>
    private static string Space(Piece piece, List<HtmlEvent> events, bool leading, bool exact = false)
    {
        var htmlEvent = events[piece.Token.Event];
        if (piece.Subtree || piece.LeftOut || htmlEvent.Kind != HtmlEventKind.Text || htmlEvent.ExactWhitespace != exact)
        {
            return "";
        }
        var text = piece.Token.Text(htmlEvent);
        var space = leading ? text[..^text.TrimStart(" \t\n\r\f").Length] : text[text.TrimEnd(" \t\n\r\f").Length..];
        return space.Length == text.Length ? "" : space.ToString();
    }

    private void Pieces(List<Piece> pieces, List<HtmlEvent> events, string kind, int cutLead, int cutTrail, string tail)
    {
        for (var p = 0; p < pieces.Count; p++)
        {
            var piece = pieces[p];
            var htmlEvent = events[piece.Token.Event];
            if (piece.LeftOut)
            {
                writer.LeftOut(kind);
                continue;
            }
            // The whitespace between two elements of one side is theirs: without it "<b>a</b> <b>b</b>" reads "ab".
            if (piece.Subtree)
            {
                Whole(events, piece.Token.Event, kind, withBefore: p > 0);
                continue;
            }
            if (htmlEvent.Kind == HtmlEventKind.Atomic)
            {
                Atomic(htmlEvent, kind, withBefore: p > 0);
                continue;
            }
            var text = piece.Token.Text(htmlEvent);
            var from = p == 0 ? cutLead : 0;
            var to = text.Length - (p == pieces.Count - 1 ? cutTrail : 0);
            if (from < to)
            {
                writer.Marker(kind);
                writer.Text(text[from..to]);
            }
        }
        if (tail.Length > 0 && pieces.Count > 0)
        {
            writer.Marker(kind);
            writer.Text(tail);
        }
    }

    /// <summary>
    /// A deleted or inserted atomic piece, in the marker. Comments are invisible, so they are never marked:
    /// a deleted one is left out and an inserted one written (into an insertion already open, or on its own).
    /// </summary>
    /// <remarks>With <c>withBefore</c> (it follows another piece of the same side) the whitespace before it is written too.</remarks>
    private void Atomic(HtmlEvent htmlEvent, string kind, bool withBefore)
    {
        var before = withBefore ? htmlEvent.Before : "";
        if (htmlEvent.Name is null)
        {
            writer.Change(kind == "del"
                ? new HtmlChange(HtmlChangeKind.Deleted, htmlEvent.Text, null, writer.Element)
                : new HtmlChange(HtmlChangeKind.Inserted, null, htmlEvent.Text, writer.Element));
            if (kind == "ins")
            {
                if (writer.OpenMarker == "del")
                {
                    writer.CloseMarker();
                }
                writer.Text(before);
                writer.Markup(htmlEvent.Text);
            }
            else
            {
                writer.LeftOut(kind);
            }
            return;
        }
        // Where markers may go but the parser would not keep the element (an <hr> inside a <p>), it is left
        // out; where they may not, the marker gets a cell or item of its own, which takes anything.
        if (writer.MarkersAllowed && !writer.CanOpen(htmlEvent.Name))
        {
            writer.LeftOut(kind);
            return;
        }
        writer.Marker(kind);
        writer.Text(before);
        writer.Markup(htmlEvent.Text);
    }

    /// <summary>
    /// An element deleted or inserted whole: inside one marker, or, where markers may not go, as itself with
    /// its content marked inside. A tag the parser would not keep here is left out.
    /// </summary>
    /// <remarks>With <c>withBefore</c> (it follows another piece of the same side) the whitespace before it is written too.</remarks>
    private void Whole(List<HtmlEvent> events, int start, string kind, bool withBefore)
    {
        // Where markers may not go, the element is written as itself if the parser keeps it there (a row in a
        // table body); anything else goes into one marker in a cell or item of its own.
        var oneMarker = writer.MarkersAllowed || !writer.CanOpen(events[start].Name!);
        var written = new Stack<bool>();
        for (var i = start; i <= events[start].Partner; i++)
        {
            var htmlEvent = events[i];
            var before = i > start || withBefore ? htmlEvent.Before : "";
            switch (htmlEvent.Kind)
            {
                case HtmlEventKind.Start:
                    if (oneMarker && !writer.MarkersAllowed)
                    {
                        // Opens the marker's cell or item, where the element may go.
                        writer.Marker(kind);
                    }
                    var canOpen = writer.CanOpen(htmlEvent.Name!);
                    written.Push(canOpen);
                    if (!canOpen)
                    {
                        writer.LeftOut(kind);
                        break;
                    }
                    if (oneMarker)
                    {
                        writer.Marker(kind);
                        writer.Text(before);
                        writer.StartTag(htmlEvent);
                    }
                    else
                    {
                        writer.CloseMarker();
                        writer.Text(before);
                        writer.StartTag(htmlEvent, i == start ? new TagMarks(kind == "del" ? "tagdiff_deleted" : "tagdiff_inserted") : null);
                    }
                    break;
                case HtmlEventKind.End:
                    if (!written.Pop())
                    {
                        writer.LeftOut(kind);
                        break;
                    }
                    if (!oneMarker)
                    {
                        writer.CloseMarker();
                    }
                    writer.Text(before);
                    writer.EndTag();
                    break;
                case HtmlEventKind.Text:
                    writer.Marker(kind);
                    writer.Text(before);
                    writer.Text(htmlEvent.Text);
                    break;
                default:
                    Atomic(htmlEvent, kind, withBefore: i > start || withBefore);
                    break;
            }
        }
        if (!oneMarker)
        {
            writer.CloseMarker();
        }
    }

    /// <summary>The marks for an element whose attributes changed, or null when they did not (order does not count).</summary>
    private TagMarks? AttributeChanges(HtmlEvent oldEvent, HtmlEvent newEvent)
    {
        List<KeyValuePair<string, string>>? marks = null;
        foreach (var (name, value) in oldEvent.Attributes)
        {
            if (newEvent.Attribute(name) != value)
            {
                (marks ??= []).Add(new("data-diff-old-" + name, value));
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
        if (marks is null && added is null)
        {
            return null;
        }
        marks ??= [];
        if (added is not null)
        {
            marks.Add(new("data-diff-added", string.Join(' ', added)));
        }
        writer.Change(new HtmlChange(HtmlChangeKind.AttributesChanged, DiffWriter.StartTagMarkup(oldEvent), DiffWriter.StartTagMarkup(newEvent), newEvent.Name));
        return new TagMarks("tagdiff_changed", marks);
    }

    /// <summary>A token to write in a marker, or (<see cref="Subtree"/>) the start of an element to write whole.</summary>
    /// <param name="Token">The token, or the start of the subtree.</param>
    /// <param name="Subtree">Write the whole element that starts here.</param>
    /// <param name="LeftOut">A deleted tag that is not written: it only parts the words around it.</param>
    private readonly record struct Piece(Token Token, bool Subtree, bool LeftOut = false);
}
