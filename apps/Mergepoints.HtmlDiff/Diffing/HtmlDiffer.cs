using System.Runtime.ExceptionServices;

namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// Diffs two HTML documents as streams of parsed DOM events and renders one document with the differences
/// marked: the idea of mitsuhiko/htmldiff (diff a parsed event stream with a generic sequence matcher), on
/// AngleSharp and DiffPlex.
/// </summary>
/// <remarks>
/// <para>Four steps. <see cref="EventStream"/> parses each document as a browser would and walks it into
/// events: start tag (name and attributes), end tag, text, and atomic pieces compared whole (void elements,
/// script, style, textarea, title, svg, math, comments). <see cref="SequenceMatcher"/> diffs the two streams by
/// keys computed once per event, anchored on what is unique to each document and matched by DiffPlex in
/// between. <see cref="EventDiff"/> diffs each changed region again token by token, a text cut into words.
/// <see cref="DiffRenderer"/> decides what to write (its remarks list the rendering rules) and
/// <see cref="DiffWriter"/> writes it.</para>
/// <para>What holds for every input: the output is balanced HTML that a browser's parser keeps as written, with
/// no marker inside script or style, none between table rows or list items, and none empty. Dropping every
/// <c>&lt;ins&gt;</c> with its content and unwrapping every <c>&lt;del&gt;</c> gives the old document's words,
/// and the other way round the new document's (words as parted by whitespace and by the edges of elements).
/// Whitespace-only changes are not changes, except inside <c>&lt;pre&gt;</c> or with
/// <see cref="HtmlDiffOptions.ShowWhitespaceChanges"/>.</para>
/// </remarks>
public static class HtmlDiffer
{
    /// <summary>The diff of <paramref name="oldHtml"/> against <paramref name="newHtml"/>.</summary>
    /// <param name="oldHtml">The old document or fragment; empty is a document without content.</param>
    /// <param name="newHtml">The new document or fragment.</param>
    /// <param name="options">What to compare and how hard to try; null for the defaults.</param>
    /// <param name="cancellationToken">Checked between and during the steps: a diff of large documents is CPU work worth stopping.</param>
    public static HtmlDiffResult Diff(string oldHtml, string newHtml, HtmlDiffOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oldHtml);
        ArgumentNullException.ThrowIfNull(newHtml);
        options ??= new HtmlDiffOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxEditDistance);
        var (oldEvents, newEvents) = Parse(oldHtml, newHtml, options.ShowWhitespaceChanges, cancellationToken);
        var ops = EventDiff.Diff(oldEvents, newEvents, options.MaxEditDistance, cancellationToken, out var coarse);
        return DiffRenderer.Render(oldEvents, newEvents, ops, coarse, cancellationToken);
    }

    /// <summary>Below this many characters in all, the two documents are parsed one after the other.</summary>
    private const int ParallelParseThreshold = 64 * 1024;

    /// <summary>
    /// Both documents as event streams. Parsing is most of the cost of diffing large documents, and the two
    /// parses share nothing, so large documents are parsed side by side.
    /// </summary>
    private static (List<HtmlEvent> Old, List<HtmlEvent> New) Parse(string oldHtml, string newHtml, bool exactWhitespace, CancellationToken cancellationToken)
    {
        if (oldHtml.Length + newHtml.Length < ParallelParseThreshold)
        {
            return (EventStream.Parse(oldHtml, exactWhitespace, cancellationToken), EventStream.Parse(newHtml, exactWhitespace, cancellationToken));
        }
        List<HtmlEvent>? oldEvents = null, newEvents = null;
        try
        {
            Parallel.Invoke(
                new ParallelOptions { CancellationToken = cancellationToken },
                () => oldEvents = EventStream.Parse(oldHtml, exactWhitespace, cancellationToken),
                () => newEvents = EventStream.Parse(newHtml, exactWhitespace, cancellationToken));
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<HtmlNestingException>().FirstOrDefault() is { } refused)
        {
            // Refused input is the caller's to answer, as it is when the documents are parsed one after the other.
            ExceptionDispatchInfo.Throw(refused);
        }
        return (oldEvents!, newEvents!);
    }
}
