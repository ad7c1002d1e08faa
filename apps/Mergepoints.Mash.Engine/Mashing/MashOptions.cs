namespace Mergepoints.Mash.Engine.Mashing;

/// <summary>How to rebuild song A from song B's sounds. Immutable, checked once by <see cref="Validate"/>.</summary>
public sealed record MashOptions
{
    /// <summary>How much of B is heard: the output is Mix·B + (1 − Mix)·A. 0.9 as afromb had it.</summary>
    public double Mix { get; init; } = 0.9;

    /// <summary>Smooth (the default) or classic afromb.</summary>
    public MashMode Mode { get; init; } = MashMode.Smooth;

    /// <summary>Segments (the default) or beats.</summary>
    public MashUnit Unit { get; init; } = MashUnit.Segment;

    /// <summary>Whether B's sounds are shaped to A's loudness in each slot; on by default.</summary>
    public bool Envelope { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> for options no mash can honour.</summary>
    public void Validate()
    {
        if (!(Mix is >= 0 and <= 1))
        {
            throw new ArgumentException($"mix must be between 0 and 1, not {Mix}");
        }
        if (!Enum.IsDefined(Mode) || !Enum.IsDefined(Unit))
        {
            throw new ArgumentException("unknown mode or unit");
        }
        if (Mode == MashMode.Classic && Unit == MashUnit.Beat)
        {
            throw new ArgumentException("classic mode matches segments only; use --mode smooth to match on beats");
        }
    }
}
