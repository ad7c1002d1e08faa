using Mergepoints.Admin.Counter;
using Mergepoints.Admin.Data;

namespace Mergepoints.Admin.Actions;

/// <summary>"Flush now": every counter writes its plays into the database at once, instead of at its next write-behind.</summary>
internal sealed class CounterActions(CounterClient counter, AuditLog audit)
{
    /// <summary>Asks every counter to flush; the answers say how each did. Recorded when at least one did.</summary>
    public async Task<IReadOnlyList<CounterAnswer>> FlushAsync(Actor actor, string? cookie, CancellationToken cancellationToken)
    {
        if (counter.Servers.Count == 0)
        {
            throw new RefusedException(503, "There is no counter to flush: mount the counter app or set Admin:CounterUrls.");
        }
        var answers = await counter.FlushAsync(cookie, cancellationToken).ConfigureAwait(false);
        if (answers.Any(answer => answer.Succeeded))
        {
            var servers = answers.Select(answer => new { Server = answer.Server.ToString(), answer.Succeeded, Answer = answer.Text });
            await audit.RecordAsync(AuditEntry.Of(actor, AuditActions.Flush, "counter", "all", null, new { Servers = servers }), cancellationToken).ConfigureAwait(false);
        }
        return answers;
    }
}
