namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>What an <see cref="HtmlEvent"/> stands for in the walk of a parsed document.</summary>
internal enum HtmlEventKind
{
    /// <summary>An element opens: its name and attributes. Its content follows as further events.</summary>
    Start,
    /// <summary>The element opened by the partner <see cref="Start"/> event closes.</summary>
    End,
    /// <summary>A text node, as the parser decoded it (entities resolved).</summary>
    Text,
    /// <summary>
    /// A piece compared and shown whole, never split or marked inside: a void element (<c>img</c>, <c>br</c>,
    /// …), an element whose content is raw text or a world of its own (<c>script</c>, <c>style</c>,
    /// <c>textarea</c>, <c>title</c>, <c>svg</c>, <c>math</c>, <c>select</c>, …), or a comment.
    /// </summary>
    Atomic,
}
