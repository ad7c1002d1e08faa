using System.Security.Claims;
using Mergepoints.Middleware.Sessions;
using Mergepoints.Owin.Contract;
using Microsoft.Net.Http.Headers;

namespace Mergepoints.Middleware.Users;

/// <summary>
/// Puts the current user into <c>server.User</c>: the signed-in user when the request carries a valid session
/// cookie for an existing, unlocked account whose security stamp still matches, anonymous otherwise. A request
/// without the cookie costs no database query.
/// </summary>
public static class UserMiddleware
{
    /// <summary>The authentication type of a signed-in principal.</summary>
    public const string AuthenticationType = "mergepoints-session";

    /// <summary>The middleware.</summary>
    public static MidFunc Create(SessionCookie cookie, UserStore users) => next => async env =>
    {
        var owin = new OwinContext(env);
        if (await FindUserAsync(owin, cookie, users) is { } user)
        {
            owin.User = PrincipalOf(user);
        }
        else if (!env.ContainsKey(OwinKeys.HttpContext))
        {
            // Over Kestrel, server.User is HttpContext.User, already anonymous unless someone signed in:
            // nothing to allocate for the many requests that carry no session.
            owin.User = Anonymous();
        }
        await next(env);
    };

    /// <summary>The principal apps see for <paramref name="user"/>: id, name, and the role "admin" for admins.</summary>
    public static ClaimsPrincipal PrincipalOf(User user)
    {
        List<Claim> claims = [new(ClaimTypes.NameIdentifier, user.Id), new(ClaimTypes.Name, user.Name)];
        if (user.IsAdmin)
        {
            claims.Add(new Claim(ClaimTypes.Role, "admin"));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    private static ClaimsPrincipal Anonymous() => new(new ClaimsIdentity());

    private static async Task<User?> FindUserAsync(OwinContext owin, SessionCookie cookie, UserStore users)
    {
        if (!owin.RequestHeaders.TryGetValue(HeaderNames.Cookie, out var headers)
            || !CookieHeaderValue.TryParseList(headers, out var cookies)
            || cookies.FirstOrDefault(c => c.Name == SessionCookie.Name) is not { } session
            || cookie.Unprotect(session.Value.ToString()) is not var (userId, stamp))
        {
            return null;
        }
        var user = await users.FindByIdAsync(userId, owin.CallCancelled);
        return user is { IsLocked: false } && user.SecurityStamp == stamp ? user : null;
    }
}
