using Microsoft.AspNetCore.Http;

namespace Mergepoints.Mash.Web;

/// <summary>
/// The headers every answer of the site carries: a Content-Security-Policy that lets a page run only this site's
/// own script and style (songs' titles are people's text), and no content sniffing (uploads are people's bytes).
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        Apply(context.Response);
        return next(context);
    }

    /// <summary>Sets the headers; the error page sets them again, since the exception handler clears the response.</summary>
    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
    }
}
