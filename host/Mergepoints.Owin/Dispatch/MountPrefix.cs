namespace Mergepoints.Owin.Dispatch;

/// <summary>
/// The rules a mount prefix must follow. Werkzeug accepts any key and a bad one silently never matches; we
/// refuse it when the site is put together, so the mistake shows at start and not as a mystery 404.
/// </summary>
public static class MountPrefix
{
    /// <summary>The root mount: the app that takes every path no other mount claims, with no prefix moved.</summary>
    public const string Root = "/";

    /// <summary>Why <paramref name="prefix"/> cannot be mounted, or null when it can.</summary>
    public static string? Problem(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix) || prefix[0] != '/')
        {
            return "a mount path must start with '/' (the root is '/')";
        }
        if (prefix == Root)
        {
            return null;
        }
        if (prefix.EndsWith('/'))
        {
            return "a mount path must not end with '/' (write /api, not /api/)";
        }
        if (prefix.Contains("//", StringComparison.Ordinal))
        {
            return "a mount path must not contain '//'";
        }
        if (prefix.Split('/').Any(segment => segment is "." or ".."))
        {
            return "a mount path must not contain '.' or '..' segments";
        }
        if (prefix.Any(c => c is '?' or '#' or '%' or '\\' || c is <= ' ' or >= (char)0x7F))
        {
            return "a mount path must be a plain ASCII path: no '?', '#', '%', '\\', spaces or control characters";
        }
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="prefix"/> cannot be mounted.</summary>
    public static void Validate(string? prefix)
    {
        if (Problem(prefix) is { } problem)
        {
            throw new ArgumentException($"Cannot mount '{prefix}': {problem}.", nameof(prefix));
        }
    }
}
