using Dapper;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Middleware.Data;

namespace Mergepoints.Admin.Data;

/// <summary>The counts on the dashboard, each one GROUP BY over its table.</summary>
internal sealed class DashboardQueries(Datastore datastore)
{
    /// <summary>Counts everything.</summary>
    public async Task<SiteCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        var users = await connection.QuerySingleAsync<UserCounts>(new CommandDefinition(
            "SELECT COUNT(*) AS Total, COALESCE(SUM(is_admin), 0) AS Admins, COALESCE(SUM(is_locked), 0) AS Locked FROM users",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var songs = await GroupsAsync(connection, "SELECT origin AS Name, COUNT(*) AS Count FROM songs GROUP BY origin", cancellationToken).ConfigureAwait(false);
        var mashes = await GroupsAsync(
            connection,
            "SELECT COALESCE(j.status, 'queued') AS Name, COUNT(*) AS Count FROM mashups m LEFT JOIN jobs j ON j.id = m.job_id GROUP BY COALESCE(j.status, 'queued')",
            cancellationToken).ConfigureAwait(false);
        var jobs = await GroupsAsync(connection, "SELECT status AS Name, COUNT(*) AS Count FROM jobs GROUP BY status", cancellationToken).ConfigureAwait(false);
        return new SiteCounts(users.Total, users.Admins, users.Locked, ByName<SongOrigin>(songs), ByName<JobStatus>(mashes), ByName<JobStatus>(jobs));
    }

    private static async Task<IReadOnlyList<Group>> GroupsAsync(System.Data.Common.DbConnection connection, string sql, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<Group>(new CommandDefinition(sql, cancellationToken: cancellationToken)).ConfigureAwait(false)];

    // Every value of the enum, 0 where the table has none, so the dashboard always shows the whole row.
    private static Dictionary<T, long> ByName<T>(IEnumerable<Group> groups)
        where T : struct, Enum
    {
        var counts = Enum.GetValues<T>().ToDictionary(value => value, _ => 0L);
        foreach (var group in groups)
        {
            if (Enum.TryParse<T>(group.Name, ignoreCase: true, out var value))
            {
                counts[value] += group.Count;
            }
        }
        return counts;
    }

    private sealed class UserCounts
    {
        public long Total { get; init; }

        public long Admins { get; init; }

        public long Locked { get; init; }
    }

    private sealed class Group
    {
        public string Name { get; init; } = "";

        public long Count { get; init; }
    }
}
