namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// A document the differ refuses: inside an element compared whole (a template, an svg) its markup nests deeper
/// than <see cref="MaxDepth"/>. Such an element is written out by AngleSharp's serializer, which recurses once per
/// level, and a stack overflow would end the whole process; no real document nests that deep there. An
/// <see cref="ArgumentException"/> because the input is what is wrong: callers answer it as bad input.
/// </summary>
public sealed class HtmlNestingException : ArgumentException
{
    /// <summary>How deep markup may nest inside an element compared whole.</summary>
    public const int MaxDepth = 256;

    /// <param name="element">The element compared whole, lower case.</param>
    public HtmlNestingException(string element)
        : base($"the markup inside <{element}> nests deeper than {MaxDepth} levels")
    {
    }

    /// <summary>For serializers and tools; the differ uses the other constructor.</summary>
    public HtmlNestingException()
    {
    }

    /// <summary>For serializers and tools; the differ uses the other constructor.</summary>
    public HtmlNestingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
