using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Mergepoints.Owin.OwinToAspNetCore;

/// <summary>
/// An ASP.NET Core server without a socket: it takes requests as OWIN environments from the host that
/// mounted the app. A whole app (its own builder, DI container, middleware, endpoints and hosted services)
/// runs behind it unchanged, and becomes one <c>AppFunc</c> under a path prefix.
/// </summary>
public sealed class InProcessServer : IServer
{
    private Func<IDictionary<string, object>, Task>? _app;
    private volatile bool _stopped;

    /// <summary>The server's features: no addresses, since nothing listens.</summary>
    public IFeatureCollection Features { get; } = CreateFeatures();

    /// <summary>The started app as an OWIN app; after the app stops it answers 503.</summary>
    public Func<IDictionary<string, object>, Task> App =>
        _app ?? throw new InvalidOperationException("The ASP.NET Core app has not started: call StartAsync on it first.");

    /// <inheritdoc />
    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        _stopped = false;
        _app = env => _stopped ? RespondStoppedAsync(env) : BridgedRequest.RunAsync(env, application);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _stopped = true;

    private static Task RespondStoppedAsync(IDictionary<string, object> env) =>
        new Contract.OwinContext(env).RespondTextAsync(503, "This app has stopped.\n");

    private static FeatureCollection CreateFeatures()
    {
        var features = new FeatureCollection();
        features.Set<IServerAddressesFeature>(new ServerAddressesFeature());
        return features;
    }
}
