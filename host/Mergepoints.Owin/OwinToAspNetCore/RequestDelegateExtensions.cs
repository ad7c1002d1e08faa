using Microsoft.AspNetCore.Http;

namespace Mergepoints.Owin.OwinToAspNetCore;

/// <summary>Turns a piece of ASP.NET Core pipeline into an OWIN app, so it mounts like any other.</summary>
public static class RequestDelegateExtensions
{
    /// <summary>
    /// The pipeline as an <c>AppFunc</c>. Over Kestrel it runs on the request's own <see cref="HttpContext"/>
    /// (the dispatcher has already moved the mount prefix into PathBase); elsewhere on one built from the environment.
    /// </summary>
    public static Func<IDictionary<string, object>, Task> ToAppFunc(this RequestDelegate pipeline) => env =>
        BridgedRequest.HttpContextOf(env) is { } context
            ? pipeline(context)
            : BridgedRequest.RunAsync(env, new RequestDelegateApplication(pipeline));
}
