using Mergepoints.Mash.Library;

namespace Mergepoints.Admin.Data;

/// <summary>A song as the admin lists it: what it is, whose it is, how often it was played, and how the mashes use it.</summary>
/// <param name="Id">The song's id (what the counter counts).</param>
/// <param name="Title">What people see.</param>
/// <param name="Origin">Uploaded, demo, or a mash's output.</param>
/// <param name="OwnerUserId">Who uploaded or mashed it; null for demo songs.</param>
/// <param name="OwnerName">The owner's name; null for demo songs and when the owner is gone.</param>
/// <param name="PlayCount">The plays in the database (the counter holds the newest ones until it flushes).</param>
/// <param name="DurationSeconds">Its length, when known.</param>
/// <param name="BlobHash">The file it is kept in, by content hash.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="UsedBy">How many mashes were made from it (as A or B).</param>
/// <param name="OutputOf">The mash it is the output of, if it is one.</param>
public sealed record SongSummary(
    string Id, string Title, SongOrigin Origin, string? OwnerUserId, string? OwnerName, long PlayCount, double? DurationSeconds,
    string BlobHash, DateTimeOffset CreatedAt, long UsedBy, string? OutputOf);
