namespace Mergepoints.Admin.Data;

/// <summary>The admin making a change, as the audit log keeps them: by id, and by the name they had then.</summary>
/// <param name="UserId">The admin's user id.</param>
/// <param name="Name">The admin's user name.</param>
public sealed record Actor(string UserId, string Name);
