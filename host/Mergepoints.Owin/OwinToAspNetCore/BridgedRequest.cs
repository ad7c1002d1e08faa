using Mergepoints.Owin.Contract;
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
    /// Runs <paramref name="handle"/> over the request's features. Over Kestrel they are layered rather than
    /// copied: the mounted app reads everything through, and what it sets for itself (its request services,
    /// its endpoint) stays in its layer. Items and the user are shared, so keys and sign-ins cross the bridge.
    /// </summary>
    public static async Task RunAsync(IDictionary<string, object> env, Func<IFeatureCollection, Task> handle)
    {
        if (HttpContextOf(env) is { } outer)
        {
            _ = outer.Items;
            if (outer.Features.Get<IHttpAuthenticationFeature>() is null)
            {
                outer.Features.Set<IHttpAuthenticationFeature>(new HttpAuthenticationFeature { User = outer.User });
            }
            await handle(new FeatureCollection(outer.Features));
            return;
        }
        var features = new EnvironmentFeatures(env);
        await handle(features.Collection);
        await features.FinishAsync();
    }
}
