namespace Mergepoints.Host.Mounts;

/// <summary>
/// An app ready to mount: the <c>AppFunc</c>, the line that tells a person what serves the prefix, and what
/// must be stopped with the host (a whole ASP.NET Core app, an HTTP client, a file watcher).
/// </summary>
public sealed class MountedApp(AppFunc app, string description, Func<ValueTask>? stop = null) : IAsyncDisposable
{
    /// <summary>The app.</summary>
    public AppFunc App { get; } = app;

    /// <summary>What serves the mount, as printed at start: <c>proxy to http://127.0.0.1:9000/ (timeout 30 s)</c>.</summary>
    public string Description { get; } = description;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => stop?.Invoke() ?? ValueTask.CompletedTask;
}
