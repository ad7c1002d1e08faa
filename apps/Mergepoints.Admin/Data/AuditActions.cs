namespace Mergepoints.Admin.Data;

/// <summary>The actions the audit log records, as stored, and the kinds of record they touch.</summary>
public static class AuditActions
{
    /// <summary>A user became an admin.</summary>
    public const string MakeAdmin = "user.make-admin";

    /// <summary>A user stopped being an admin.</summary>
    public const string UnmakeAdmin = "user.unmake-admin";

    /// <summary>A user was locked out.</summary>
    public const string Lock = "user.lock";

    /// <summary>A user was let in again.</summary>
    public const string Unlock = "user.unlock";

    /// <summary>A user was deleted, with their mashes and songs.</summary>
    public const string DeleteUser = "user.delete";

    /// <summary>A song got a new title.</summary>
    public const string RenameSong = "song.rename";

    /// <summary>A song was deleted.</summary>
    public const string DeleteSong = "song.delete";

    /// <summary>A song's plays went back to 0, in the database and on the counter.</summary>
    public const string ResetCount = "song.reset-count";

    /// <summary>A mash was deleted with its output.</summary>
    public const string DeleteMash = "mash.delete";

    /// <summary>A failed job was queued again.</summary>
    public const string RetryJob = "job.retry";

    /// <summary>A queued job was cancelled.</summary>
    public const string CancelJob = "job.cancel";

    /// <summary>The counter's plays were written into the database now.</summary>
    public const string Flush = "counter.flush";

    /// <summary>Every action, for the audit page's filter.</summary>
    public static IReadOnlyList<string> All { get; } =
        [MakeAdmin, UnmakeAdmin, Lock, Unlock, DeleteUser, RenameSong, DeleteSong, ResetCount, DeleteMash, RetryJob, CancelJob, Flush];

    /// <summary>Every kind of record, for the audit page's filter.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["user", "song", "mash", "job", "counter"];
}
