using Mergepoints.Owin.OwinToAspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Owin.Tests;

/// <summary>WebApplications for tests: production settings, no console logging, no file watchers.</summary>
internal static class TestWebApplication
{
    public static WebApplicationBuilder CreateBuilder()
    {
        // Every test starts apps of its own; reloading config would hold an inotify watcher per app.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        return builder;
    }

    public static WebApplicationBuilder CreateInProcessBuilder()
    {
        var builder = CreateBuilder();
        builder.WebHost.UseInProcessServer();
        return builder;
    }

    /// <summary>A started app behind an <see cref="InProcessServer"/>, ready for <c>AsAppFunc</c>.</summary>
    public static async Task<WebApplication> StartInProcessAsync(
        Action<WebApplication> pipeline, CancellationToken cancellationToken, Action<IServiceCollection>? services = null)
    {
        var builder = CreateInProcessBuilder();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        pipeline(app);
        await app.StartAsync(cancellationToken);
        return app;
    }
}
