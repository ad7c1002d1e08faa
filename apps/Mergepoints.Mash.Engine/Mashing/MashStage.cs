namespace Mergepoints.Mash.Engine.Mashing;

/// <summary>Where a mash is, in order.</summary>
public enum MashStage
{
    /// <summary>Decoding and analysing song A.</summary>
    AnalysingA,

    /// <summary>Decoding and analysing song B.</summary>
    AnalysingB,

    /// <summary>Finding B's closest unit for every unit of A.</summary>
    Matching,

    /// <summary>Building the output and writing it.</summary>
    Rendering,
}
