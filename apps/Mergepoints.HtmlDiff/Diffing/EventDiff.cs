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
