namespace Mergepoints.Mash.Jobs;

/// <summary>
/// One job as the queue stores it. A job claimed by a worker carries that worker's <see cref="LeaseOwner"/> and
/// <see cref="Attempts"/>: the queue's lease operations take the claimed job back, so a worker can only touch a
/// job while the lease it was given is still its own.
/// </summary>
public sealed record Job
{
    /// <summary>Time-ordered (a version 7 GUID), so sorting by id is sorting by creation.</summary>
    public required string Id { get; init; }

    /// <summary>Which handler runs it, e.g. <c>mash</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The caller's JSON, handed to the handler as it was given.</summary>
    public required string Payload { get; init; }

    /// <summary>Where the job is in its life.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>How many times a worker has started it (a start whose worker died counts too).</summary>
    public required int Attempts { get; init; }

    /// <summary>How many starts it gets before it fails for good.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>No worker takes it before this: the backoff after a failed attempt.</summary>
    public required DateTimeOffset RunAfter { get; init; }

    /// <summary>The worker that holds or last held it (<c>host:pid:worker-n</c>), so an operator can find the process.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>When the running worker's lease ends unless it heartbeats; null when not running.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>The running worker's last sign of life.</summary>
    public DateTimeOffset? HeartbeatAt { get; init; }

    /// <summary>What the job is doing now, as its handler last reported.</summary>
    public string? ProgressStage { get; init; }

    /// <summary>How much is done, 0 to 1.</summary>
    public double Progress { get; init; }

    /// <summary>Why the last attempt failed, for the user and the admin (a message, never a stack trace).</summary>
    public string? Error { get; init; }

    /// <summary>The handler's JSON result once succeeded.</summary>
    public string? Result { get; init; }

    /// <summary>The user who asked for it, when one did: "my jobs".</summary>
    public string? OwnerUserId { get; init; }

    /// <summary>When it was enqueued.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When anything about it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
