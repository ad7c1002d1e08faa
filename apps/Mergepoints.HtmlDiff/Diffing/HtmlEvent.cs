namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// One event of a parsed document's walk. A document is a flat list of these, balanced by construction (every
/// <see cref="HtmlEventKind.Start"/> has its <see cref="HtmlEventKind.End"/> at <see cref="Partner"/>), so a
/// generic sequence matcher can diff two documents while the renderer can still tell which element a change
/// sits in.
/// </summary>
/// <remarks>
/// <see cref="Key"/> is what "equal" means for the matcher, computed once while parsing: the element name with
/// its attributes sorted by name (attribute order never counts as a change); for text, its words, with every
/// whitespace run one space and the ends trimmed. Words are parted by whitespace and by the edges of elements,
/// so whitespace-only changes (reindenting, runs of spaces, a space more or less next to a tag) are not
/// changes. In <c>&lt;pre&gt;</c>, or when whitespace changes are asked for, text is compared exactly.
/// </remarks>
internal sealed class HtmlEvent
{
    public required HtmlEventKind Kind { get; init; }

    /// <summary>The element's local name, lower case; null for text and comments.</summary>
    public string? Name { get; init; }

    /// <summary>The attributes in source order (start tags and atomic elements).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];

    /// <summary>Text: the decoded text. Atomic: the element or comment as HTML, ready to be written out.</summary>
    public string Text { get; init; } = "";

    /// <summary>What the matcher compares (see the type's remarks).</summary>
    public required string Key { get; init; }

    /// <summary>Start: the index of its end; End: the index of its start; otherwise the event's own index.</summary>
    public int Partner { get; set; }

    /// <summary>
    /// Whitespace that stood before this event and is not compared: a whitespace-only text node between
    /// elements. The renderer writes it back so the new document keeps its layout.
    /// </summary>
    public string Before { get; set; } = "";

    /// <summary>True for text inside <c>&lt;pre&gt;</c> (or compared exactly by option): its whitespace counts.</summary>
    public bool ExactWhitespace { get; init; }

    /// <summary>The attribute's value, or null when the element lacks it.</summary>
    public string? Attribute(string name)
    {
        foreach (var (attributeName, value) in Attributes)
        {
            if (attributeName == name)
            {
                return value;
            }
        }
        return null;
    }
}
