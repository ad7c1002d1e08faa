namespace Mergepoints.Mash.Jobs;

/// <summary>
/// How far a running job is, as the user sees it: a stage ("analysing A", "matching", "rendering") and how much
/// of the whole job is done, from 0 to 1.
/// </summary>
/// <param name="Stage">What the job is doing now.</param>
/// <param name="Fraction">How much of the whole job is done, 0 to 1 (clamped when stored).</param>
public sealed record JobProgress(string Stage, double Fraction);
