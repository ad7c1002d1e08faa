namespace Mergepoints.Mash.Engine.Mashing;

/// <summary>What a slot of song A is: a segment (between onsets) or a beat.</summary>
public enum MashUnit
{
    /// <summary>Segments between onsets: short, many, close to the notes.</summary>
    Segment,

    /// <summary>Beats: longer slots that keep B's rhythm inside A's (smooth mode only).</summary>
    Beat,
}
