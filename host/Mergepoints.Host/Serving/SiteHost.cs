using Mergepoints.Host.Configuration;
using Mergepoints.Host.Logging;
using Mergepoints.Host.Mounts;
using Mergepoints.Middleware.Accounts;
using Mergepoints.Middleware.Data;
using Mergepoints.Middleware.Database;
using Mergepoints.Middleware.Errors;
using Mergepoints.Middleware.Forwarding;
using Mergepoints.Middleware.Logging;
using Mergepoints.Middleware.Sessions;
using Mergepoints.Middleware.UserBox;
using Mergepoints.Middleware.Users;
using Mergepoints.Owin.Dispatch;
using Mergepoints.Owin.KestrelToOwin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Host.Serving;

/// <summary>
/// Kestrel in front of a <see cref="Site"/>: <c>/healthz</c> for the host itself, then every request into the
/// dispatcher as an OWIN environment. SIGTERM or Ctrl+C stops it gracefully: requests in flight finish first.
/// </summary>
public sealed class SiteHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Site _site;
    private readonly string _datastore;
    private readonly string _jobs;

    private SiteHost(WebApplication app, Site site, string datastore)
    {
        _app = app;
        _site = site;
        _datastore = datastore;
        _jobs = HostJobs.Describe(app.Services);
    }

    /// <summary>The addresses Kestrel actually listens on (a port of 0 in the config becomes a real one here).</summary>
    public IReadOnlyList<string> Addresses =>
        [.. _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses];

    /// <summary>Migrates the datastore, mounts the site, then starts listening; nothing listens if a mount fails.</summary>
    /// <param name="config">The site.</param>
    /// <param name="urls">Where to listen.</param>
    /// <param name="dataDirectory">The data directory.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <param name="settings">Settings over appsettings.json and the environment, for a host embedded in tests or tools.</param>
    /// <param name="logFile">A file the log goes to as well as the console: a slot's, so each instance's entries stay apart.</param>
    public static async Task<SiteHost> StartAsync(SiteConfig config, IReadOnlyList<string> urls, string dataDirectory, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? settings = null, string? logFile = null)
    {
        Directory.CreateDirectory(dataDirectory);
        // Our own command line is not the host's: no args, and appsettings.json from beside the executable.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.WebHost.UseUrls([.. urls]);
        if (logFile is not null)
        {
            // Made by the container, so the container disposes it: what is queued reaches the file at shutdown.
            builder.Services.AddSingleton<ILoggerProvider>(_ => new FileLoggerProvider(logFile));
        }
        // Kestrel's limits (the upload limit above all) come from appsettings.json; the framework binds only its endpoints.
        builder.Services.Configure<KestrelServerOptions>(builder.Configuration.GetSection("Kestrel"));
        builder.Services.AddHealthChecks();
        builder.Services.AddReverseProxy();
        // Sessions and antiforgery tokens are only as shared as this key ring: point every instance at one directory.
        var keyDirectory = builder.Configuration["DataProtection:KeyDirectory"] is { Length: > 0 } shared ? shared : Path.Combine(dataDirectory, "keys");
        builder.Services.AddDataProtection().SetApplicationName("Mergepoints").PersistKeysToFileSystem(new DirectoryInfo(keyDirectory));
        // One datastore for the whole host: the middleware hands out its connections, built-in apps take it from here.
        var datastore = DatastoreSettings.Open(builder.Configuration, dataDirectory);
        builder.Services.AddSingleton(datastore);
        // The queue and the workers: the apps add their job kinds while they mount, the workers start with the host.
        var servesMash = config.Mounts.Any(BuiltInApps.IsMash);
        HostJobs.Add(builder.Services, builder.Configuration, datastore, dataDirectory, runWorkers: HostJobs.Options(builder.Configuration).InProcess ?? servesMash, holdsSongs: servesMash);
        var app = builder.Build();
        Site? site = null;
        try
        {
            await DatastoreSettings.MigrateAsync(datastore, cancellationToken);
            site = await Site.MountAsync(config, dataDirectory, app.Services, app.Lifetime.ApplicationStopping);
            var siteWide = await MountHostAppsAsync(app, site, datastore);
            app.UseHealthChecks("/healthz");
            app.RunOwin(ServerTiming.Compose(
                [
                    ("forwarded", ForwardedHeadersMiddleware.Create(app.Configuration.GetSection("ForwardedHeaders").Get<TrustedProxyOptions>() ?? new())),
                    ("log", RequestLogMiddleware.Create(app.Services.GetRequiredService<ILoggerFactory>())),
                    ("errors", ErrorMiddleware.Create(app.Services.GetRequiredService<ILoggerFactory>(), app.Environment.IsDevelopment())),
                    .. siteWide,
                ],
                site.Dispatcher.InvokeAsync));
            await app.StartAsync(cancellationToken);
            return new SiteHost(app, site, datastore.Description);
        }
        catch
        {
            // Nothing half started stays behind: the mounts that did start are stopped again.
            if (site is not null)
            {
                await site.DisposeAsync();
            }
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Mounts the account pages and the user box beside the config's mounts, and puts the user and database
    /// middleware where the config says: in front of the chosen mounts (returning none for the whole site), or
    /// in front of the dispatcher (returning them).
    /// </summary>
    private static async Task<IReadOnlyList<(string, MidFunc)>> MountHostAppsAsync(WebApplication app, Site site, Datastore datastore)
    {
        var config = site.Config;
        var users = new UserStore(datastore);
        var dataProtection = app.Services.GetRequiredService<IDataProtectionProvider>();
        var accountsOptions = app.Configuration.GetSection("Accounts").Get<AccountsOptions>() ?? new AccountsOptions();
        var session = new SessionCookie(dataProtection, accountsOptions.SessionLifetime);
        (string Name, MidFunc Middleware)[] injection = [("user", UserMiddleware.Create(session, users)), ("db", DatabaseMiddleware.Create(datastore))];
        AppFunc Inject(AppFunc mounted) => OwinPipeline.Compose(injection.Select(m => m.Middleware), mounted);
        Func<AppFunc, AppFunc> wrap = config.InjectPerMount ? Inject : mounted => mounted;

        foreach (var mount in config.Mounts.Where(m => m.Inject))
        {
            site.Dispatcher[mount.Path] = Inject(site.Dispatcher[mount.Path]);
        }
        var (accounts, accountsLifetime) = await AccountsApp.StartAsync(users, session, dataProtection, app.Services.GetRequiredService<ILoggerFactory>(), accountsOptions);
        site.Add(config.AccountsPath, new MountedApp(accounts, "account pages: register, log in, log out", accountsLifetime.DisposeAsync), wrap);
        site.Add(SiteConfig.UserBoxPath, new MountedApp(UserBoxApp.Create(config.AccountsPath), "the user box: whoami, userbox.js"), wrap);
        return config.InjectPerMount ? [] : injection;
    }

    /// <summary>Writes what a newcomer needs to see: where the site listens and what each mount serves.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="listenNote">Said after the addresses, in brackets: which slot this instance took, and its log.</param>
    public void PrintSummary(TextWriter output, string? listenNote = null)
    {
        output.WriteLine($"Mergepoints listening on {string.Join(", ", Addresses)}{(listenNote is null ? "" : $" ({listenNote})")}");
        var width = _site.Mounts.Select(m => m.Path.Length).Append("/healthz".Length).Max();
        foreach (var (path, description) in _site.Mounts)
        {
            output.WriteLine($"  {path.PadRight(width)}  -> {description}");
        }
        output.WriteLine($"  {"/healthz".PadRight(width)}  -> the host's health check");
        output.WriteLine($"Config {_site.Config.Source}; datastore {_datastore}; {_jobs}. Press Ctrl+C to stop.");
    }

    /// <summary>Waits for SIGTERM, Ctrl+C or <paramref name="cancellationToken"/>, then stops gracefully.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _site.DisposeAsync();
        await _app.DisposeAsync();
    }
}
