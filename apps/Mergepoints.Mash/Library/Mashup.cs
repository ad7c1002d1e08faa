using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Mash.Jobs;

namespace Mergepoints.Mash.Library;

/// <summary>
/// One mash as the pages show it: what was asked (two songs and the settings), and where its job is. The state
/// comes from the job (<see cref="Status"/>, <see cref="ProgressStage"/>, <see cref="Progress"/>, <see cref="Error"/>)
/// so that it is right whichever process runs the job; the output is a song of its own once it is done.
/// </summary>
public sealed record Mashup
{
    /// <summary>A GUIDv7 as 32 hex digits.</summary>
    public required string Id { get; init; }

    /// <summary>The song rebuilt.</summary>
    public required string SongAId { get; init; }

    /// <summary>The song whose sounds rebuild it.</summary>
    public required string SongBId { get; init; }

    /// <summary>A's title, or null when A has been deleted since.</summary>
    public string? SongATitle { get; init; }

    /// <summary>B's title, or null when B has been deleted since.</summary>
    public string? SongBTitle { get; init; }

    /// <summary>The settings it was asked with.</summary>
    public required MashOptions Options { get; init; }

    /// <summary>Whether it shows in the public gallery once done.</summary>
    public required bool IsPublic { get; init; }

    /// <summary>Who asked for it.</summary>
    public required string OwnerUserId { get; init; }

    /// <summary>The owner's user name, for the gallery; null when the user is gone.</summary>
    public string? OwnerName { get; init; }

    /// <summary>The job that makes it, recorded in the transaction that records the mash (nullable for the column's sake).</summary>
    public string? JobId { get; init; }

    /// <summary>The job's status, except that a mash with its output is <see cref="JobStatus.Succeeded"/> whatever its job says.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>The stage the worker last reported ("analysing A", "matching", …).</summary>
    public string? ProgressStage { get; init; }

    /// <summary>How much is done, 0 to 1 (1 once there is an output).</summary>
    public double Progress { get; init; }

    /// <summary>Why it failed, for the owner and the admin.</summary>
    public string? Error { get; init; }

    /// <summary>The finished mash as a song (its audio, its plays); null until done.</summary>
    public string? OutputSongId { get; init; }

    /// <summary>When it was asked for.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
