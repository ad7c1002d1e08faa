namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>One step of the diff in document order: a token kept, deleted or inserted.</summary>
/// <param name="Kind">Kept, deleted or inserted.</param>
/// <param name="Old">The old document's token (<see cref="Token.None"/> for an insertion).</param>
/// <param name="New">The new document's token (<see cref="Token.None"/> for a deletion).</param>
internal readonly record struct DiffOp(DiffOpKind Kind, Token Old, Token New);
