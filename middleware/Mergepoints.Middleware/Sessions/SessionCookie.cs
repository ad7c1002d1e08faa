using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Mergepoints.Middleware.Sessions;

/// <summary>
/// The session cookie's value: the user's id and security stamp, signed, encrypted and time-limited by ASP.NET
/// Core Data Protection (the part itsdangerous plays in Python; no crypto of our own). Any instance holding
/// the same key ring reads any other's cookie. A tampered, expired or foreign value reads as no session.
/// </summary>
public sealed class SessionCookie(IDataProtectionProvider provider, TimeSpan lifetime)
{
    /// <summary>The cookie's name.</summary>
    public const string Name = "mergepoints_session";

    private readonly ITimeLimitedDataProtector _protector =
        provider.CreateProtector("Mergepoints.Session.v1").ToTimeLimitedDataProtector();

    /// <summary>How long a sign-in lasts.</summary>
    public TimeSpan Lifetime { get; } = lifetime;

    /// <summary>The cookie value for a sign-in of <paramref name="userId"/>.</summary>
    public string Protect(string userId, string securityStamp) =>
        _protector.Protect($"{userId}\n{securityStamp}", DateTimeOffset.UtcNow + Lifetime);

    /// <summary>The user id and stamp in <paramref name="value"/>, or null when it is not a valid, current session.</summary>
    public (string UserId, string SecurityStamp)? Unprotect(string value)
    {
        try
        {
            var parts = _protector.Unprotect(value).Split('\n');
            return parts.Length == 2 ? (parts[0], parts[1]) : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException or DecoderFallbackException)
        {
            return null;
        }
    }
}
