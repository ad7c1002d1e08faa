using Mergepoints.Mash.Engine.Analysis;

namespace Mergepoints.Mash.Engine.Mashing;

/// <summary>What a finished mash made: the output's length and the analyses it was made from (tempo, segments).</summary>
public sealed record MashResult(double Duration, int Slots, SongAnalysis A, SongAnalysis B);
