using Microsoft.Extensions.Hosting;

namespace Mergepoints.Owin.OwinToAspNetCore;

/// <summary>
/// The lifetime of a mounted app: it ignores SIGTERM and Ctrl+C. The host that mounted it drains its own
/// requests first and then stops the app; an app that stopped itself on the signal would answer 503 to
/// requests the host had already accepted.
/// </summary>
internal sealed class HostDrivenLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
