namespace Mergepoints.Admin.Data;

/// <summary>A user as the admin lists them: never the password hash or the security stamp.</summary>
/// <param name="Id">The user's id.</param>
/// <param name="Name">The name as its owner typed it.</param>
/// <param name="IsAdmin">Whether they administer the site.</param>
/// <param name="IsLocked">Whether they are locked out.</param>
/// <param name="CreatedAt">When they registered.</param>
/// <param name="Songs">How many songs they own (uploads, and their mashes' outputs).</param>
/// <param name="Mashes">How many mashes they asked for.</param>
public sealed record UserSummary(string Id, string Name, bool IsAdmin, bool IsLocked, DateTimeOffset CreatedAt, long Songs, long Mashes);
