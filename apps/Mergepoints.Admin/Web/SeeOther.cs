using Microsoft.AspNetCore.Http;

namespace Mergepoints.Admin.Web;

/// <summary>
/// 303 See Other: the answer to a form that worked, so that reloading the page it leads to never sends the form
/// again. (<c>Results.Redirect</c> offers only 301, 302, 307 and 308.)
/// </summary>
internal sealed class SeeOther(string location) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = location;
        return Task.CompletedTask;
    }
}
