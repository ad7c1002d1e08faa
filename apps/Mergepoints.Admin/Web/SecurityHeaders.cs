using Microsoft.AspNetCore.Http;

namespace Mergepoints.Admin.Web;

/// <summary>
/// The headers every answer of the admin carries: a Content-Security-Policy that allows only this site's own
/// style and script (the host's user box), since the pages show people's text (user names, song titles, job
/// errors); no framing, so no page can trick an admin into clicking a button; no content sniffing; and no caching
/// of pages that show private data.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        // What Antiforgery sets on a page with a form anyway, on every page (it warns when it has to override).
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        return next(context);
    }
}
