namespace Mergepoints.Middleware.Users;

/// <summary>An account as the datastore holds it.</summary>
/// <param name="Id">A stable id that never changes, even when the name does.</param>
/// <param name="Name">The name as its owner typed it.</param>
/// <param name="PasswordHash">ASP.NET Core Identity's hash, salt and all.</param>
/// <param name="IsAdmin">Whether the user administers the site.</param>
/// <param name="IsLocked">A locked user cannot sign in, and their sessions stop working.</param>
/// <param name="SecurityStamp">Changes when the password changes or the user is locked, ending older sessions.</param>
public sealed record User(string Id, string Name, string PasswordHash, bool IsAdmin, bool IsLocked, string SecurityStamp);
