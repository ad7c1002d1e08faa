using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;

namespace Mergepoints.Admin.Data;

/// <summary>The dashboard's numbers: how many of everything there is.</summary>
/// <param name="Users">Every account.</param>
/// <param name="Admins">How many of them are admins.</param>
/// <param name="Locked">How many are locked out.</param>
/// <param name="SongsByOrigin">Songs by where they came from.</param>
/// <param name="MashesByStatus">Mashes by their job's status.</param>
/// <param name="JobsByStatus">Jobs of every kind by status.</param>
public sealed record SiteCounts(
    long Users, long Admins, long Locked, IReadOnlyDictionary<SongOrigin, long> SongsByOrigin,
    IReadOnlyDictionary<JobStatus, long> MashesByStatus, IReadOnlyDictionary<JobStatus, long> JobsByStatus);
