using Mergepoints.Admin.Data;
using Mergepoints.Mash.Library;
using Mergepoints.Middleware.Users;

namespace Mergepoints.Admin.Actions;

/// <summary>
/// What an admin does to users, through <see cref="UserStore"/> (which keeps the accounts' rules) and the library
/// (which keeps the songs' and mashes'), each change with its audit entry. No admin can unmake, lock or delete
/// themselves: a site must never be left without the admin who could undo it.
/// </summary>
internal sealed class UserActions(UserStore users, UserQueries queries, MashLibrary library, AuditLog audit)
{
    /// <summary>Makes or unmakes an admin.</summary>
    public async Task SetAdminAsync(Actor actor, string id, bool isAdmin, CancellationToken cancellationToken)
    {
        if (!isAdmin)
        {
            RefuseOnSelf(actor, id, "remove your own admin flag");
        }
        var before = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (before.IsAdmin == isAdmin)
        {
            return;
        }
        await users.SetAdminByIdAsync(id, isAdmin, cancellationToken).ConfigureAwait(false);
        await RecordAsync(actor, isAdmin ? AuditActions.MakeAdmin : AuditActions.UnmakeAdmin, before, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Locks a user out (their sessions end at once) or lets them in again.</summary>
    public async Task SetLockedAsync(Actor actor, string id, bool locked, CancellationToken cancellationToken)
    {
        if (locked)
        {
            RefuseOnSelf(actor, id, "lock yourself out");
        }
        var before = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (before.IsLocked == locked)
        {
            return;
        }
        await users.SetLockedAsync(id, locked, cancellationToken).ConfigureAwait(false);
        await RecordAsync(actor, locked ? AuditActions.Lock : AuditActions.Unlock, before, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a user with everything <see cref="UserQueries.FootprintAsync"/> lists: their mashes (outputs and
    /// blobs too, queued jobs cancelled) and their songs. Other people's mashes made from those songs keep their
    /// own outputs. The user is locked first, so they are signed out and add nothing while their things go; should
    /// anything fail on the way, the admin finds them locked and can delete them again.
    /// </summary>
    public async Task DeleteAsync(Actor actor, string id, CancellationToken cancellationToken)
    {
        RefuseOnSelf(actor, id, "delete yourself");
        var before = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        await users.SetLockedAsync(id, locked: true, cancellationToken).ConfigureAwait(false);
        var footprint = await queries.FootprintAsync(id, cancellationToken).ConfigureAwait(false);
        foreach (var mash in footprint.MashIds)
        {
            await library.Mashups.DeleteAsync(mash, cancellationToken).ConfigureAwait(false);
        }
        // Read again: a mash finishing meanwhile may have added an output song after the first look.
        var songs = (await queries.FootprintAsync(id, cancellationToken).ConfigureAwait(false)).SongIds;
        foreach (var song in songs)
        {
            await library.Songs.DeleteAsync(song, cancellationToken).ConfigureAwait(false);
        }
        await users.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(
            AuditEntry.Of(actor, AuditActions.DeleteUser, "user", id, new { before.Id, before.Name, before.IsAdmin, before.IsLocked, Mashes = footprint.MashIds.Count, Songs = songs.Count }, null),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<User> FindAsync(string id, CancellationToken cancellationToken) =>
        await users.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) ?? throw RefusedException.NotFound("user");

    private async Task RecordAsync(Actor actor, string action, User before, CancellationToken cancellationToken)
    {
        var after = await FindAsync(before.Id, cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(AuditEntry.Of(actor, action, "user", before.Id, View(before), View(after)), cancellationToken).ConfigureAwait(false);
    }

    // What the audit keeps of a user: never the password hash or the security stamp.
    private static object View(User user) => new { user.Id, user.Name, user.IsAdmin, user.IsLocked };

    private static void RefuseOnSelf(Actor actor, string id, string what)
    {
        if (id == actor.UserId)
        {
            throw new RefusedException(400, $"You cannot {what}: another admin must do it.");
        }
    }
}
