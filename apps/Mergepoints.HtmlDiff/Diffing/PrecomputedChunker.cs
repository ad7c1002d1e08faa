using DiffPlex;

namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// Hands DiffPlex keys computed beforehand. DiffPlex diffs strings it cuts into pieces with an
/// <see cref="IChunker"/>; we pass a one-letter stand-in for each side and return that side's keys, so the
/// pieces can be anything we hashed ourselves. DiffPlex never calls a chunker for an empty string, which is
/// why the stand-ins are never empty and an empty side is answered before DiffPlex is asked.
/// </summary>
internal sealed class PrecomputedChunker(IReadOnlyList<string> oldKeys, IReadOnlyList<string> newKeys) : IChunker
{
    public const string Old = "o";
    public const string New = "n";

    public IReadOnlyList<string> Chunk(string text) => text == Old ? oldKeys : newKeys;
}
