using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Mergepoints.Mash.Jobs;

/// <summary>
/// Rows by many ids, with the same SQL on SQLite and PostgreSQL: <c>IN (@id0, @id1, …)</c>, one parameter per id.
/// Written out by hand because Dapper's own list parameter is expanded like that on SQLite but sent to Npgsql as
/// one array, which <c>IN</c> does not take (PostgreSQL would want <c>= ANY</c>, which SQLite has not got).
/// </summary>
internal static class ManyIds
{
    /// <summary>
    /// The rows of <paramref name="select"/> (which ends in the id column of a <c>WHERE</c>) for
    /// <paramref name="ids"/>, in one query per <see cref="JobQueue.MaxIdsPerQuery"/> distinct ids.
    /// </summary>
    public static async Task<List<TRow>> QueryAsync<TRow>(DbConnection connection, string select, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var rows = new List<TRow>();
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(JobQueue.MaxIdsPerQuery))
        {
            var parameters = new DynamicParameters();
            var names = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                names[i] = "@id" + i.ToString(CultureInfo.InvariantCulture);
                parameters.Add(names[i], chunk[i]);
            }
            rows.AddRange(await connection.QueryAsync<TRow>(new CommandDefinition(
                $"{select} IN ({string.Join(", ", names)})", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false));
        }
        return rows;
    }
}
