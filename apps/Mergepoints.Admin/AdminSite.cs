using Mergepoints.Admin.Actions;
using Mergepoints.Admin.Counter;
using Mergepoints.Admin.Data;
using Mergepoints.Admin.Web;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Middleware.Data;
using Mergepoints.Middleware.Users;
using Mergepoints.Owin.OwinToAspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Admin;

/// <summary>
/// The admin: an ASP.NET Core app of its own (its own DI container and pipeline, Razor components rendered from
/// minimal-API endpoints) that the host mounts through the in-process server, usually at <c>/admin</c>. It shares
/// nothing with the mash app but the datastore and the environment keys: it reads the tables with queries of its
/// own and changes them through the libraries that keep their rules. Every link is built from the request's path
/// base, so it works under any prefix.
/// </summary>
public static class AdminSite
{
    /// <summary>Starts the admin; the second half of the answer stops it again.</summary>
    /// <param name="hostServices">
    /// The host's services, from which the admin takes the one <see cref="Datastore"/>, <see cref="MashLibrary"/> and
    /// <see cref="JobQueue"/> of the process, the key ring (so every instance reads every other's antiforgery
    /// tokens), the logging, and the host's server (whose listen address is the default counter's).
    /// </param>
    /// <param name="options">Section <c>Admin</c> with what the mount learned from the site config.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    public static async Task<(AppFunc App, Func<ValueTask> StopAsync)> StartAsync(IServiceProvider hostServices, AdminOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hostServices);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException($"Admin:{problem}", nameof(options));
        }
        var builder = MountedAppBuilder.Create(
            hostServices.GetRequiredService<ILoggerFactory>(), hostServices.GetRequiredService<IDataProtectionProvider>(), antiforgeryCookie: "mergepoints_admin_antiforgery");
        var services = builder.Services;
        services.AddSingleton(hostServices.GetRequiredService<Datastore>());
        services.AddSingleton(hostServices.GetRequiredService<MashLibrary>());
        services.AddSingleton(hostServices.GetRequiredService<JobQueue>());
        services.AddSingleton(options);
        // The host's server, not the admin's own in-process one: its address is where this host's counter answers.
        services.AddSingleton(new CounterServers(options, hostServices.GetService<IServer>()));
        services.AddSingleton<CounterClient>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<UserQueries>();
        services.AddSingleton<SongQueries>();
        services.AddSingleton<MashQueries>();
        services.AddSingleton<JobQueries>();
        services.AddSingleton<UserActions>();
        services.AddSingleton<SongActions>();
        services.AddSingleton<MashActions>();
        services.AddSingleton<CounterActions>();
        services.AddSingleton<AdminStylesheet>();
        services.AddRazorComponents();

        var app = builder.Build();
        app.UseMiddleware<SecurityHeaders>();
        // The stylesheet before the gate: the 403 page a non-admin sees uses it too.
        app.Services.GetRequiredService<AdminStylesheet>().Use(app);
        app.UseMiddleware<RefusalPages>();
        app.UseMiddleware<AdminGate>();
        app.UseRouting();
        app.UseMiddleware<FormGuard>();
        DashboardEndpoints.Map(app);
        UserEndpoints.Map(app);
        SongEndpoints.Map(app);
        QueueEndpoints.Map(app);
        app.MapFallback("{*path}", (HttpContext context) =>
            AdminResults.Message(AdminRequest.From(context), StatusCodes.Status404NotFound, "Not found", "There is no admin page here."));

        await app.StartAsync(cancellationToken);
        return (app.AsAppFunc(), async () =>
        {
            await app.StopAsync();
            await app.DisposeAsync();
        });
    }
}
