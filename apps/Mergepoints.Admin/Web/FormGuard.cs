using Mergepoints.Admin.Actions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mergepoints.Admin.Web;

/// <summary>
/// Every POST carries an antiforgery token (ASP.NET Core Antiforgery, bound to the admin signed in); one without a
/// valid token is refused with 400 before anything changes. The admin's forms are a token and a few short fields,
/// so a body much bigger than that is refused too.
/// </summary>
internal sealed class FormGuard(RequestDelegate next)
{
    private const long MaxFormBytes = 64 * 1024;

    public async Task InvokeAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxFormBytes;
        }
        bool valid;
        try
        {
            valid = await antiforgery.IsRequestValidAsync(context);
        }
        catch (Exception e) when (e is AntiforgeryValidationException or InvalidDataException or BadHttpRequestException or IOException)
        {
            // A body past the limit is Kestrel's 413; anything else unreadable is the client's 400.
            var status = e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
            throw new RefusedException(status, "The form could not be read: send the admin page's own form.");
        }
        if (!valid)
        {
            throw new RefusedException(StatusCodes.Status400BadRequest, "This form has expired or did not come from the admin's own page: reload the page and send it again.");
        }
        await next(context);
    }
}
