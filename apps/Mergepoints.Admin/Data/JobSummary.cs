using Mergepoints.Mash.Jobs;

namespace Mergepoints.Admin.Data;

/// <summary>A job as the admin sees it: where it is, why it failed, whose it is and the mash it makes.</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Kind">Which handler runs it (<c>mash</c>, <c>sleep</c>).</param>
/// <param name="Status">Where it is in its life.</param>
/// <param name="Attempts">How many times a worker has started it.</param>
/// <param name="MaxAttempts">How many starts it gets.</param>
/// <param name="RunAfter">No worker takes it before this (a retry's backoff).</param>
/// <param name="LeaseOwner">The worker that holds or last held it (<c>host:pid:worker-n</c>).</param>
/// <param name="ProgressStage">What it last said it was doing.</param>
/// <param name="Progress">How much is done, 0 to 1.</param>
/// <param name="Error">Why the last attempt failed.</param>
/// <param name="Payload">The JSON its handler is given.</param>
/// <param name="Result">The handler's JSON result once it succeeded.</param>
/// <param name="OwnerUserId">Who asked for it, if anyone.</param>
/// <param name="OwnerName">Their name; null when none did or they are gone.</param>
/// <param name="MashId">The mash it makes, when that mash still exists.</param>
/// <param name="CreatedAt">When it was enqueued.</param>
/// <param name="UpdatedAt">When anything about it last changed.</param>
public sealed record JobSummary(
    string Id, string Kind, JobStatus Status, int Attempts, int MaxAttempts, DateTimeOffset RunAfter, string? LeaseOwner,
    string? ProgressStage, double Progress, string? Error, string Payload, string? Result, string? OwnerUserId, string? OwnerName,
    string? MashId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
