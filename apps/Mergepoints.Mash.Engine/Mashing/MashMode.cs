namespace Mergepoints.Mash.Engine.Mashing;

/// <summary>How the mash is made.</summary>
public enum MashMode
{
    /// <summary>
    /// Standardized, weighted features with the length in the distance, fades at every slot edge, a limiter, and
    /// beats as an option: the default, because it sounds better.
    /// </summary>
    Smooth,

    /// <summary>The Echo Nest's afromb as it was, for those who want the old sound: segments, plain distances, hard cuts.</summary>
    Classic,
}
