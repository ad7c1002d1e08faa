namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>What a caller may ask of a diff.</summary>
public sealed record HtmlDiffOptions
{
    /// <summary>The default <see cref="MaxEditDistance"/>.</summary>
    public const int DefaultMaxEditDistance = 2000;

    /// <summary>
    /// Marks whitespace-only changes outside <c>&lt;pre&gt;</c> too. Off by default: reformatting a document
    /// (indentation, line breaks, runs of spaces) changes nothing a reader sees.
    /// </summary>
    public bool ShowWhitespaceChanges { get; init; }

    /// <summary>
    /// How many insertions and deletions the diff looks for in one changed region (a stretch between parts the
    /// documents share) before it gives up matching there and shows the region as deleted whole, then
    /// inserted whole (<see cref="HtmlDiffResult.Coarse"/>). Matching costs about the square of this number, so
    /// it bounds the time two documents that share little can take; documents that differ here and there
    /// never come near it.
    /// </summary>
    public int MaxEditDistance { get; init; } = DefaultMaxEditDistance;
}
