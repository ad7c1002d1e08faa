using Dapper;
using Mergepoints.Middleware.Data;

namespace Mergepoints.Mash.Library;

/// <summary>The retention's question to the <c>songs</c> and <c>mashups</c> tables alike: which rows are older than the cutoff.</summary>
internal static class AgedRows
{
    /// <summary>
    /// The ids of <paramref name="table"/>'s rows created before <paramref name="cutoff"/>, oldest first, at most
    /// <paramref name="limit"/>. <paramref name="table"/> is one of ours, never input: it is part of the SQL.
    /// </summary>
    public static async Task<IReadOnlyList<string>> IdsOlderThanAsync(Datastore datastore, string table, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await datastore.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT id FROM {table} WHERE created_at < @cutoff ORDER BY created_at, id LIMIT @limit",
            new { cutoff = cutoff.ToUnixTimeMilliseconds(), limit }, cancellationToken: cancellationToken)).ConfigureAwait(false)];
    }
}
