namespace Mergepoints.Mash.Engine.Analysis;

/// <summary>
/// A stretch of a song and how it sounds, in the Echo Nest's terms so afromb reads as it did: where it starts and
/// how long it lasts (seconds), its timbre (12 MFCCs, averaged), its pitches (12 chroma bins C…B, the strongest 1),
/// its level at the start, at its loudest and when that is (seconds after the start). Levels are RMS in dBFS,
/// floored at −60: a full-scale sine reads −3.
/// </summary>
public sealed record Segment(
    double Start,
    double Duration,
    IReadOnlyList<float> Timbre,
    IReadOnlyList<float> Pitches,
    double LoudnessStart,
    double LoudnessMax,
    double LoudnessMaxTime);
