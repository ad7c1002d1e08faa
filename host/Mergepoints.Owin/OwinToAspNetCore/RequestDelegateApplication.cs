using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mergepoints.Owin.OwinToAspNetCore;

/// <summary>A bare pipeline as an <see cref="IHttpApplication{TContext}"/>, so it is run and ended as a whole app is.</summary>
internal sealed class RequestDelegateApplication(RequestDelegate pipeline) : IHttpApplication<HttpContext>
{
    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    public Task ProcessRequestAsync(HttpContext context) => pipeline(context);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
    }
}
