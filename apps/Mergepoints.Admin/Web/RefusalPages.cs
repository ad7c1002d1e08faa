using Mergepoints.Admin.Actions;
using Microsoft.AspNetCore.Http;

namespace Mergepoints.Admin.Web;

/// <summary>Shows a <see cref="RefusedException"/> as a message page with its status: the admin reads why, never a 500.</summary>
internal sealed class RefusalPages(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (RefusedException e) when (!context.Response.HasStarted)
        {
            var title = e.StatusCode switch
            {
                StatusCodes.Status404NotFound => "Not found",
                >= 500 => "The counter could not do it",
                _ => "That cannot be done",
            };
            await AdminResults.Message(AdminRequest.From(context), e.StatusCode, title, e.Message).ExecuteAsync(context);
        }
    }
}
