namespace Mergepoints.Mash.Jobs;

/// <summary>Which jobs to list, newest first, one page at a time.</summary>
/// <param name="Status">Only jobs in this status; null for all.</param>
/// <param name="OwnerUserId">Only this user's jobs; null for everyone's.</param>
/// <param name="Before">The previous page's <see cref="JobPage.Next"/>: only jobs older than that one.</param>
/// <param name="Limit">At most this many, and never more than <see cref="JobQueue.MaxPageSize"/>.</param>
public sealed record JobQuery(JobStatus? Status = null, string? OwnerUserId = null, string? Before = null, int Limit = 50);
