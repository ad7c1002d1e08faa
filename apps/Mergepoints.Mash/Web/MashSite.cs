using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Owin.OwinToAspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Mash.Web;

/// <summary>
/// MonsterMash's site: an ASP.NET Core app of its own (DI, pipeline, Razor components rendered from minimal-API
/// endpoints) that the host mounts through the in-process server, usually at <c>/</c>. Everything it links to is
/// built from the request's path base, so it works under any prefix.
/// </summary>
public static class MashSite
{
    /// <summary>Starts the site over <paramref name="library"/>; dispose the lifetime to stop it.</summary>
    /// <param name="library">The songs, mashes and uploads.</param>
    /// <param name="jobs">The queue the mashes' jobs run in; the progress stream reads them from there.</param>
    /// <param name="dataProtection">The host's key ring, so every instance reads every other's antiforgery tokens.</param>
    /// <param name="loggerFactory">The host's logging.</param>
    /// <param name="options">Section <c>Mash</c>, checked by the caller.</param>
    /// <param name="hostStopping">The host's <c>ApplicationStopping</c>: progress streams end as soon as the host stops.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    public static async Task<(AppFunc App, IAsyncDisposable Lifetime)> StartAsync(
        MashLibrary library, JobQueue jobs, IDataProtectionProvider dataProtection, ILoggerFactory loggerFactory, MashSiteOptions options,
        CancellationToken hostStopping, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException($"Mash:{problem}", nameof(options));
        }
        // A failure here is the error page below, and the log: never the developer exception page.
        var builder = MountedAppBuilder.Create(loggerFactory, dataProtection, antiforgeryCookie: "mergepoints_mash_antiforgery");
        builder.Services.AddSingleton(library);
        builder.Services.AddSingleton(jobs);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<SiteAssets>();
        builder.Services.AddSingleton(new HostStopping(hostStopping));
        // One loop reads the progress of every mash being watched, for all the site's streams at once.
        builder.Services.AddSingleton<MashProgressFeed>();
        builder.Services.AddRazorComponents();
        builder.Services.Configure<RouteOptions>(routes => routes.SetParameterPolicy<HexIdConstraint>(HexIdConstraint.Name));

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = PageResults.ServerErrorAsync });
        app.UseMiddleware<SecurityHeaders>();
        app.Services.GetRequiredService<SiteAssets>().Use(app);
        // Routing after the assets (else the catch-all 404 would claim them), before the guard that reads the endpoint.
        app.UseRouting();
        app.UseMiddleware<FormGuard>();
        HomeEndpoints.Map(app);
        MashEndpoints.Map(app);
        ListEndpoints.Map(app);
        SongEndpoints.Map(app);
        // Any method: a POST to a path with no page is "not found" too, not a form refused for its token by the guard.
        app.MapFallback("{*path}", (Microsoft.AspNetCore.Http.HttpContext context) =>
            PageResults.Message(PageRequest.From(context), 404, "Not found", "There is no page here. The mash you are looking for may have been deleted."))
            .DisableAntiforgery();

        await app.StartAsync(cancellationToken);
        return (app.AsAppFunc(), new Lifetime(app));
    }

    /// <summary>Stops the site; its services are there for tests (the progress feed's counts).</summary>
    internal sealed class Lifetime(WebApplication app) : IAsyncDisposable
    {
        internal IServiceProvider Services => app.Services;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
