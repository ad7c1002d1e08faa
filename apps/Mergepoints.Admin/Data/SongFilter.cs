namespace Mergepoints.Admin.Data;

/// <summary>Which songs to list, and in which order.</summary>
/// <param name="Search">Only titles that contain this, in any case; null for all.</param>
/// <param name="OwnerUserId">Only this user's songs; null for everyone's.</param>
/// <param name="Sort">The order.</param>
public sealed record SongFilter(string? Search = null, string? OwnerUserId = null, SongSort Sort = SongSort.Date);
