namespace Mergepoints.Mash.Web;

/// <summary>
/// The host's own "stopping" signal, which comes before the site's: the host waits for requests in flight before
/// it stops its mounts, so a progress stream that listened only to the site would hold the host up to its
/// shutdown timeout.
/// </summary>
internal sealed record HostStopping(CancellationToken Token);
