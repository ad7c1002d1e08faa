using Mergepoints.Mash.Jobs;

namespace Mergepoints.Admin.Data;

/// <summary>A mash as the admin lists it, with its job's state.</summary>
/// <param name="Id">The mash's id.</param>
/// <param name="SongAId">The song rebuilt.</param>
/// <param name="SongATitle">Its title; null once it is deleted.</param>
/// <param name="SongBId">The song whose sounds rebuild it.</param>
/// <param name="SongBTitle">Its title; null once it is deleted.</param>
/// <param name="Mode">smooth or classic.</param>
/// <param name="Mix">The share of B.</param>
/// <param name="IsPublic">Whether it shows in the gallery.</param>
/// <param name="OwnerUserId">Who asked for it.</param>
/// <param name="OwnerName">Their name; null once they are deleted.</param>
/// <param name="JobId">Its job.</param>
/// <param name="Status">The job's status (queued while there is no job yet).</param>
/// <param name="Attempts">How many times a worker has started it.</param>
/// <param name="Error">The job's last error, kept for a failed job and for one waiting for its retry.</param>
/// <param name="OutputSongId">The finished mash's song.</param>
/// <param name="CreatedAt">When it was asked for.</param>
public sealed record MashSummary(
    string Id, string SongAId, string? SongATitle, string SongBId, string? SongBTitle, string Mode, double Mix, bool IsPublic,
    string OwnerUserId, string? OwnerName, string? JobId, JobStatus Status, int Attempts, string? Error, string? OutputSongId, DateTimeOffset CreatedAt);
