using Mergepoints.Owin.Contract;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace Mergepoints.Owin.OwinToAspNetCore;

/// <summary>
/// Finds the ASP.NET Core features for a request that arrives as an OWIN environment: the Kestrel request's
/// own, when the environment is a view over one, else features read from the environment itself.
/// </summary>
internal static class BridgedRequest
{
    /// <summary>The Kestrel <see cref="HttpContext"/> under an environment, if there is one.</summary>
    public static HttpContext? HttpContextOf(IDictionary<string, object> env) =>
        env.TryGetValue(OwinKeys.HttpContext, out var value) ? value as HttpContext : null;

    /// <summary>
    /// Runs <paramref name="application"/> on the request's features. Over Kestrel they are layered rather than
    /// copied (<see cref="MountedAppFeatures"/>): the mounted app reads everything through, and what it sets for
    /// itself (its request services, its endpoint) stays in its layer. Items and the user are shared, so keys
    /// and sign-ins cross the bridge.
    /// </summary>
    public static async Task RunAsync<TContext>(IDictionary<string, object> env, IHttpApplication<TContext> application)
        where TContext : notnull
    {
        if (HttpContextOf(env) is { } outer)
        {
            _ = outer.Items;
            if (outer.Features.Get<IHttpAuthenticationFeature>() is null)
            {
                outer.Features.Set<IHttpAuthenticationFeature>(new HttpAuthenticationFeature { User = outer.User });
            }
            await ProcessOverKestrelAsync(application, outer);
            return;
        }
        var features = new EnvironmentFeatures(env);
        await ProcessAsync(application, features.Collection, features.FinishAsync);
    }

    // Kestrel ends the outer response, and with it runs the app's OnCompleted callbacks, after everything
    // has returned. The context is disposed in an OnCompleted registered before the app runs: callbacks run
    // last-registered first, so this one runs after the app's own, which can still use the context.
    private static async Task ProcessOverKestrelAsync<TContext>(IHttpApplication<TContext> application, HttpContext outer)
        where TContext : notnull
    {
        var context = application.CreateContext(new MountedAppFeatures(outer.Features));
        Exception? failure = null;
        outer.Response.OnCompleted(() =>
        {
            application.DisposeContext(context, failure);
            return Task.CompletedTask;
        });
        try
        {
            await application.ProcessRequestAsync(context);
        }
        catch (Exception exception)
        {
            failure = exception;
            throw;
        }
    }

    // In a server's order: the app runs, the response ends (headers out, OnCompleted, which disposes the
    // request's services), and only then is the HttpContext disposed, so the callbacks can still use it.
    private static async Task ProcessAsync<TContext>(
        IHttpApplication<TContext> application, IFeatureCollection features, Func<Exception?, Task> finishAsync)
        where TContext : notnull
    {
        var context = application.CreateContext(features);
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context);
        }
        catch (Exception exception)
        {
            failure = exception;
            throw;
        }
        finally
        {
            try
            {
                await finishAsync(failure);
            }
            finally
            {
                application.DisposeContext(context, failure);
            }
        }
    }
}
