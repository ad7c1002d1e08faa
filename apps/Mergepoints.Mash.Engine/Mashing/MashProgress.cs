namespace Mergepoints.Mash.Engine.Mashing;

/// <summary>
/// How far a mash is: the stage and how much of it is done (0 to 1), and the whole as one fraction, for a job
/// list's percentage or a progress bar. Reported from worker threads.
/// </summary>
public readonly record struct MashProgress(MashStage Stage, double Fraction)
{
    // The stages' shares of the whole, as they measured on two 3-minute songs (docs/performance.md).
    private static readonly double[] Shares = [0.4, 0.4, 0.05, 0.15];

    /// <summary>The whole mash done, 0 to 1.</summary>
    public double Overall => Shares.Take((int)Stage).Sum() + Shares[(int)Stage] * Math.Clamp(Fraction, 0, 1);

    /// <summary>The stage as a user reads it: "analysing A", "matching", ….</summary>
    public string StageName => Stage switch
    {
        MashStage.AnalysingA => "analysing A",
        MashStage.AnalysingB => "analysing B",
        MashStage.Matching => "matching",
        _ => "rendering",
    };
}
