namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// A piece of one event that the diff matched: the whole event, or one word of a text event (the word with the
/// whitespace before it; the last word also carries the whitespace after it).
/// </summary>
internal readonly record struct Token(int Event, int Start, int Length)
{
    /// <summary>No token: the other side of an insertion or deletion.</summary>
    public static readonly Token None = new(-1, 0, 0);

    public static Token Whole(int index) => new(index, 0, -1);

    public bool IsWhole => Length < 0;

    /// <summary>True when this is the whole event or its first word (the one the event's leading space belongs to).</summary>
    public bool IsFirst => Start == 0;

    public ReadOnlySpan<char> Text(HtmlEvent htmlEvent) => IsWhole ? htmlEvent.Text : htmlEvent.Text.AsSpan(Start, Length);
}
