namespace Mergepoints.Mash.Jobs;

/// <summary>One page of a job list.</summary>
/// <param name="Jobs">The jobs, newest first.</param>
/// <param name="Next">What to pass as <see cref="JobQuery.Before"/> for the next page; null on the last page.</param>
public sealed record JobPage(IReadOnlyList<Job> Jobs, string? Next);
