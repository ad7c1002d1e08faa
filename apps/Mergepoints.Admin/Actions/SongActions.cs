using Mergepoints.Admin.Counter;
using Mergepoints.Admin.Data;
using Mergepoints.Mash.Library;

namespace Mergepoints.Admin.Actions;

/// <summary>What an admin does to songs: rename, delete, and reset the play count in the database and on the counter.</summary>
internal sealed class SongActions(SongQueries songs, MashLibrary library, CounterClient counter, AuditLog audit)
{
    /// <summary>The longest title a song may have, as the library keeps uploads' names.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>Gives the song a new title, trimmed; refused when it is empty or too long.</summary>
    public async Task RenameAsync(Actor actor, string id, string? title, CancellationToken cancellationToken)
    {
        title = title?.Trim() ?? "";
        if (title.Length == 0 || title.Length > MaxTitleLength || title.Any(char.IsControl))
        {
            throw new RefusedException(400, $"A title has 1 to {MaxTitleLength} characters and no control characters.");
        }
        if (!await songs.RenameAsync(id, title, actor, cancellationToken).ConfigureAwait(false))
        {
            throw RefusedException.NotFound("song");
        }
    }

    /// <summary>Deletes the song through the library, which takes the blob away when no other song holds the same bytes.</summary>
    public async Task DeleteAsync(Actor actor, string id, CancellationToken cancellationToken)
    {
        var before = await songs.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw RefusedException.NotFound("song");
        if (!await library.Songs.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw RefusedException.NotFound("song");
        }
        await audit.RecordAsync(
            AuditEntry.Of(actor, AuditActions.DeleteSong, "song", id, new { before.Id, before.Title, Origin = before.Origin.ToString().ToLowerInvariant(), before.OwnerUserId, before.PlayCount, before.BlobHash, before.UsedBy }, null),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the song's plays off every counter, then sets its count in the database to 0. The counter goes first:
    /// plays it writes into the database meanwhile are then cleared with the rest. When a counter does not do it,
    /// the database is left as it was and the refusal says which counter and why.
    /// </summary>
    public async Task ResetCountAsync(Actor actor, string id, string? cookie, CancellationToken cancellationToken)
    {
        _ = await songs.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw RefusedException.NotFound("song");
        if (counter.Servers.Count == 0)
        {
            throw new RefusedException(503, "There is no counter to reset: mount the counter app or set Admin:CounterUrls.");
        }
        var live = await counter.ReadAsync(cookie, cancellationToken).ConfigureAwait(false);
        var answers = await counter.ResetSongAsync(id, cookie, cancellationToken).ConfigureAwait(false);
        if (answers.FirstOrDefault(answer => !answer.Succeeded) is { } failed)
        {
            throw new RefusedException(502, $"The counter at {failed.Server} did not reset the song ({failed.Text}); the count in the database is unchanged.");
        }
        if (!await songs.ResetPlayCountAsync(id, live.Counts.GetValueOrDefault(id), actor, cancellationToken).ConfigureAwait(false))
        {
            throw RefusedException.NotFound("song");
        }
    }
}
