namespace Mergepoints.Mash.Engine.Analysis;

/// <summary>
/// What the engine knows of a song, computed once and cached by the file's content hash: its segments (between
/// onsets), its tempo, beats and tatums (half-beats), and the beats again as segments with their own features, for
/// matching beat by beat. Times are in seconds from the start.
/// </summary>
public sealed record SongAnalysis(
    double Duration,
    double Tempo,
    IReadOnlyList<double> Beats,
    IReadOnlyList<double> Tatums,
    IReadOnlyList<Segment> Segments,
    IReadOnlyList<Segment> BeatSegments);
