namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// One change between two keyed sequences: <see cref="OldCount"/> items from <see cref="OldStart"/> replaced by
/// <see cref="NewCount"/> items from <see cref="NewStart"/>; what lies between two edits is equal.
/// </summary>
/// <param name="OldStart">Where the replaced items start in the old sequence.</param>
/// <param name="OldCount">How many old items are replaced (0 for a pure insertion).</param>
/// <param name="NewStart">Where the replacing items start in the new sequence.</param>
/// <param name="NewCount">How many new items replace them (0 for a pure deletion).</param>
/// <param name="Coarse">
/// The matcher gave up matching inside this region (its edit distance was too large) and reports it as one
/// replacement.
/// </param>
internal readonly record struct Edit(int OldStart, int OldCount, int NewStart, int NewCount, bool Coarse);
