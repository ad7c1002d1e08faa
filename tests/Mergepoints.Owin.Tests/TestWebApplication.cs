using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Owin.Tests;

/// <summary>A WebApplication builder for tests: production settings, no console logging, no file watchers.</summary>
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
}
