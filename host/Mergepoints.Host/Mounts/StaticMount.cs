using Mergepoints.Host.Configuration;
using Mergepoints.Owin.OwinToAspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace Mergepoints.Host.Mounts;

/// <summary>
/// Mounts a directory through ASP.NET Core's file server, which already does what a static mount must:
/// no way out of the directory, no dot-files, ETag and If-None-Match, Range, index.html for a folder.
/// </summary>
public static class StaticMount
{
    /// <summary>Builds the file-serving app for one mount.</summary>
    public static MountedApp Mount(StaticMountConfig mount, IServiceProvider hostServices)
    {
        var files = new PhysicalFileProvider(mount.Directory);
        var pipeline = new ApplicationBuilder(hostServices);
        pipeline.UseFileServer(new FileServerOptions
        {
            FileProvider = files,
            EnableDefaultFiles = true,
            StaticFileOptions = { ServeUnknownFileTypes = true, DefaultContentType = "application/octet-stream" },
        });
        pipeline.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("Not found.\n");
        });
        return new MountedApp(pipeline.Build().ToAppFunc(), $"static files in {mount.Directory}", () =>
        {
            files.Dispose();
            return ValueTask.CompletedTask;
        });
    }
}
