namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// The diff of two event streams as a list of <see cref="DiffOp"/>s: first event by event, then, inside each
/// region that changed, again token by token, where a text is cut into words. The second pass is what lets a
/// word change inside a paragraph show as that word, and a paragraph split in two show as the break.
/// </summary>
internal static class EventDiff
{
    public static List<DiffOp> Diff(List<HtmlEvent> oldEvents, List<HtmlEvent> newEvents, int maxEditDistance, CancellationToken cancellationToken, out bool coarse)
    {
        coarse = false;
        var ops = new List<DiffOp>(oldEvents.Count + newEvents.Count);
        var edits = SequenceMatcher.Diff(new Keys(oldEvents), new Keys(newEvents), maxEditDistance, cancellationToken);
        SlideToWholeElements(edits, oldEvents, newEvents);
        int oldAt = 0, newAt = 0;
        foreach (var edit in edits)
        {
            for (; oldAt < edit.OldStart; oldAt++, newAt++)
            {
                ops.Add(new DiffOp(DiffOpKind.Equal, Token.Whole(oldAt), Token.Whole(newAt)));
            }
            coarse |= edit.Coarse;
            if (edit.Coarse || edit.OldCount == 0 || edit.NewCount == 0)
            {
                for (var i = 0; i < edit.OldCount; i++)
                {
                    ops.Add(new DiffOp(DiffOpKind.Delete, Token.Whole(edit.OldStart + i), Token.None));
                }
                for (var j = 0; j < edit.NewCount; j++)
                {
                    ops.Add(new DiffOp(DiffOpKind.Insert, Token.None, Token.Whole(edit.NewStart + j)));
                }
            }
            else
            {
                coarse |= Tokens(oldEvents, newEvents, edit, maxEditDistance, ops, cancellationToken);
            }
            oldAt = edit.OldStart + edit.OldCount;
            newAt = edit.NewStart + edit.NewCount;
        }
        for (; oldAt < oldEvents.Count; oldAt++, newAt++)
        {
            ops.Add(new DiffOp(DiffOpKind.Equal, Token.Whole(oldAt), Token.Whole(newAt)));
        }
        return ops;
    }

    /// <summary>
    /// Moves each pure insertion or deletion along the equal events around it, where it may move, to a place
    /// where it holds whole elements. Adding a paragraph between two can be read as inserting
    /// <c>&lt;p&gt;second&lt;/p&gt;</c>, or as inserting <c>second&lt;/p&gt;&lt;p&gt;</c> into the first; both
    /// are minimal and Myers may pick either, but only the first shows a new paragraph.
    /// </summary>
    private static void SlideToWholeElements(List<Edit> edits, List<HtmlEvent> oldEvents, List<HtmlEvent> newEvents)
    {
        for (var e = 0; e < edits.Count; e++)
        {
            var edit = edits[e];
            if (edit.Coarse || (edit.OldCount == 0) == (edit.NewCount == 0))
            {
                continue;
            }
            var inserted = edit.OldCount == 0;
            var events = inserted ? newEvents : oldEvents;
            var start = inserted ? edit.NewStart : edit.OldStart;
            var count = inserted ? edit.NewCount : edit.OldCount;
            var low = e == 0 ? 0 : inserted ? edits[e - 1].NewStart + edits[e - 1].NewCount : edits[e - 1].OldStart + edits[e - 1].OldCount;
            var high = e == edits.Count - 1 ? events.Count : inserted ? edits[e + 1].NewStart : edits[e + 1].OldStart;
            var first = start;
            while (first > low && events[first - 1].Key == events[first - 1 + count].Key)
            {
                first--;
            }
            for (var at = first; at + count <= high && (at == first || events[at - 1].Key == events[at - 1 + count].Key); at++)
            {
                if (Whole(events, at, count))
                {
                    var shift = at - start;
                    edits[e] = edit with { OldStart = edit.OldStart + shift, NewStart = edit.NewStart + shift };
                    break;
                }
            }
        }
    }

    /// <summary>Whether the events from <paramref name="start"/> hold every element they open or close whole.</summary>
    private static bool Whole(List<HtmlEvent> events, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            if (events[i].Kind is HtmlEventKind.Start or HtmlEventKind.End && (events[i].Partner < start || events[i].Partner >= start + count))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The second pass over one changed region; true when it had to fall back to coarse.</summary>
    private static bool Tokens(List<HtmlEvent> oldEvents, List<HtmlEvent> newEvents, Edit region, int maxEditDistance, List<DiffOp> ops, CancellationToken cancellationToken)
    {
        var (oldTokens, oldKeys) = Cut(oldEvents, region.OldStart, region.OldCount);
        var (newTokens, newKeys) = Cut(newEvents, region.NewStart, region.NewCount);
        var coarse = false;
        int oldAt = 0, newAt = 0;
        foreach (var edit in SequenceMatcher.Diff(oldKeys, newKeys, maxEditDistance, cancellationToken))
        {
            for (; oldAt < edit.OldStart; oldAt++, newAt++)
            {
                ops.Add(new DiffOp(DiffOpKind.Equal, oldTokens[oldAt], newTokens[newAt]));
            }
            coarse |= edit.Coarse;
            for (var i = 0; i < edit.OldCount; i++)
            {
                ops.Add(new DiffOp(DiffOpKind.Delete, oldTokens[edit.OldStart + i], Token.None));
            }
            for (var j = 0; j < edit.NewCount; j++)
            {
                ops.Add(new DiffOp(DiffOpKind.Insert, Token.None, newTokens[edit.NewStart + j]));
            }
            oldAt = edit.OldStart + edit.OldCount;
            newAt = edit.NewStart + edit.NewCount;
        }
        for (; oldAt < oldTokens.Count; oldAt++, newAt++)
        {
            ops.Add(new DiffOp(DiffOpKind.Equal, oldTokens[oldAt], newTokens[newAt]));
        }
        return coarse;
    }

    /// <summary>
    /// The tokens of a region and their keys. Tags match by name alone here, so an element whose attributes
    /// changed still pairs with itself (the renderer then marks the attributes); a void element matches by name,
    /// except an image, whose source is what it shows.
    /// </summary>
    private static (List<Token> Tokens, List<string> Keys) Cut(List<HtmlEvent> events, int start, int count)
    {
        var tokens = new List<Token>(count);
        var keys = new List<string>(count);
        for (var index = start; index < start + count; index++)
        {
            var htmlEvent = events[index];
            switch (htmlEvent.Kind)
            {
                case HtmlEventKind.Start:
                    tokens.Add(Token.Whole(index));
                    keys.Add("S" + htmlEvent.Name);
                    break;
                case HtmlEventKind.End:
                    tokens.Add(Token.Whole(index));
                    keys.Add(htmlEvent.Key);
                    break;
                case HtmlEventKind.Atomic:
                    tokens.Add(Token.Whole(index));
                    keys.Add(htmlEvent.Name is { } name && HtmlElements.Void.Contains(name)
                        ? "V" + name + (name == "img" ? "\u0001" + htmlEvent.Attribute("src") : "")
                        : htmlEvent.Key);
                    break;
                default:
                    var first = tokens.Count;
                    WordSplitter.Split(index, htmlEvent.Text, tokens);
                    for (var t = first; t < tokens.Count; t++)
                    {
                        var token = tokens[t];
                        var word = htmlEvent.Text.AsSpan(token.Start, token.Length);
                        keys.Add(string.Concat("W", htmlEvent.ExactWhitespace ? word : word.Trim(" \t\n\r\f")));
                    }
                    break;
            }
        }
        return (tokens, keys);
    }

    /// <summary>The events' keys as a list, without copying them out.</summary>
    private sealed class Keys(List<HtmlEvent> events) : IReadOnlyList<string>
    {
        public string this[int index] => events[index].Key;

        public int Count => events.Count;

        public IEnumerator<string> GetEnumerator() => events.Select(e => e.Key).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
