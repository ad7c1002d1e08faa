namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>A finished diff.</summary>
/// <param name="Html">
/// The inline document: <c>&lt;div class="diff"&gt;…&lt;/div&gt;</c>, with <c>data-diff-coarse="true"</c> on the
/// div when <paramref name="Coarse"/> is true.
/// </param>
/// <param name="Changes">Each change, in document order, for callers that want data rather than markup.</param>
/// <param name="Coarse">
/// True when the documents differed so much somewhere that the diff fell back to a coarser granularity there:
/// a region beyond <see cref="HtmlDiffOptions.MaxEditDistance"/> is shown deleted whole, then inserted whole.
/// </param>
public sealed record HtmlDiffResult(string Html, IReadOnlyList<HtmlChange> Changes, bool Coarse);
