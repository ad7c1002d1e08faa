using Mergepoints.Owin.OwinToAspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mergepoints.Owin.Tests;

/// <summary>
/// One ASP.NET Core request handler mounted as an OWIN app in either of the two ways the library offers:
/// <see cref="RequestDelegateExtensions.ToAppFunc"/>, or a whole WebApplication behind an <see cref="InProcessServer"/>.
/// </summary>
internal sealed class MountedPipeline : IAsyncDisposable
{
    public const string Delegate = "RequestDelegate.ToAppFunc";
    public const string WholeApp = "WebApplication.UseInProcessServer";

    private readonly WebApplication? _app;

    private MountedPipeline(AppFunc app, WebApplication? webApplication)
    {
        App = app;
        _app = webApplication;
    }

    public static TheoryData<string> Ways => [Delegate, WholeApp];

    public AppFunc App { get; }

    public static async Task<MountedPipeline> StartAsync(string way, RequestDelegate handler, CancellationToken cancellationToken)
    {
        if (way == Delegate)
        {
            return new MountedPipeline(handler.ToAppFunc(), null);
        }
        var app = await TestWebApplication.StartInProcessAsync(app => app.Run(handler), cancellationToken);
        return new MountedPipeline(app.AsAppFunc(), app);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }
}
