using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Mergepoints.Mash.Web;

/// <summary>
/// Every POST carries an antiforgery token; one without a valid token gets a 400 page that says so. The small
/// forms (demo, delete) are read whole here, under a small body limit. The upload form is the exception: it is
/// marked <c>DisableAntiforgery()</c> and checks its token itself while it streams, before it takes any file.
/// </summary>
internal sealed class FormGuard(RequestDelegate next)
{
    /// <summary>A small form is a token and a few short fields: anything much bigger is not one of ours.</summary>
    private const long MaxSmallFormBytes = 64 * 1024;

    public async Task InvokeAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || context.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: false })
        {
            await next(context);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxSmallFormBytes;
        }
        int status;
        string problem;
        try
        {
            if (await antiforgery.IsRequestValidAsync(context))
            {
                await next(context);
                return;
            }
            (status, problem) = (StatusCodes.Status400BadRequest, PageResults.TokenProblem);
        }
        catch (BadHttpRequestException e)
        {
            (status, problem) = (e.StatusCode, "The form could not be read: send the page's own form, with short fields.");
        }
        catch (Exception e) when (e is AntiforgeryValidationException or InvalidDataException)
        {
            (status, problem) = (StatusCodes.Status400BadRequest, "The form could not be read: send the page's own form, with short fields.");
        }
        await PageResults.Message(PageRequest.From(context), status, "That did not work", problem).ExecuteAsync(context);
    }
}
