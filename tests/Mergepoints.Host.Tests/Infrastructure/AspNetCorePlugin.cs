namespace Mergepoints.Host.Tests.Infrastructure;

/// <summary>
/// The source of a whole ASP.NET Core app (its own builder, DI container and endpoints) shipped as an assembly
/// mount: it references Mergepoints.Owin only for the in-process server, and hands the host a plain AppFunc.
/// </summary>
public static class AspNetCorePlugin
{
    public const string Entry = "Shop.App.Create";

    public const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Mergepoints.Owin.OwinToAspNetCore;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;

        namespace Shop;

        public sealed class Greeter
        {
            public string Greet(string who) => $"hello {who} from the shop's own container";
        }

        public static class App
        {
            public static Func<IDictionary<string, object>, Task> Create(IDictionary<string, object> properties)
            {
                var builder = WebApplication.CreateSlimBuilder();
                builder.WebHost.UseInProcessServer();
                builder.Logging.ClearProviders();
                builder.Services.AddSingleton<Greeter>();
                var app = builder.Build();
                app.MapGet("/hello/{who}", (string who, Greeter greeter, HttpRequest request) =>
                    $"{greeter.Greet(who)} base={request.PathBase} path={request.Path}");
                app.MapGet("/stream", async (HttpResponse response, CancellationToken cancel) =>
                {
                    response.ContentType = "text/plain";
                    for (var i = 0; i < 5; i++)
                    {
                        await response.WriteAsync($"chunk {i}\n", cancel);
                        await response.Body.FlushAsync(cancel);
                        if (i < 4) await Task.Delay(200, cancel);
                    }
                });
                app.StartAsync().GetAwaiter().GetResult();
                ((CancellationToken)properties["host.OnAppDisposing"]).Register(() => app.StopAsync().GetAwaiter().GetResult());
                return app.AsAppFunc();
            }
        }
        """;

    /// <summary>Builds the app into <paramref name="directory"/>, with the copy of Mergepoints.Owin it ships with.</summary>
    public static string Build(string directory)
    {
        var owin = typeof(Owin.OwinToAspNetCore.InProcessServer).Assembly.Location;
        Directory.CreateDirectory(directory);
        File.Copy(owin, Path.Combine(directory, Path.GetFileName(owin)), overwrite: true);
        return PluginCompiler.Compile(directory, "Shop", Source, [owin]);
    }
}
