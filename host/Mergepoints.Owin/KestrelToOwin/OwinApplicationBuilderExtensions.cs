using Microsoft.AspNetCore.Builder;

namespace Mergepoints.Owin.KestrelToOwin;

/// <summary>Ends an ASP.NET Core pipeline in an OWIN app: the host's way onto its dispatcher.</summary>
public static class OwinApplicationBuilderExtensions
{
    /// <summary>
    /// Hands every request that reaches this point to <paramref name="app"/>, as an OWIN environment over the
    /// request's <c>HttpContext</c>.
    /// </summary>
    public static void RunOwin(this IApplicationBuilder builder, Func<IDictionary<string, object>, Task> app) =>
        builder.Run(context => app(new HttpContextEnvironment(context)));
}
