namespace Mergepoints.Host.Configuration;

/// <summary>One entry of the config's <c>mounts</c> list: a path prefix and what serves it.</summary>
public abstract record MountConfig(string Path)
{
    /// <summary>
    /// <c>"inject": true</c> on any mount puts the user and database middleware in front of the mounts that say
    /// so (and the host's own account pages) instead of in front of the whole dispatcher.
    /// </summary>
    public bool Inject { get; init; }
}

/// <summary>A built-in app by name, such as <c>counter</c>.</summary>
public sealed record AppMountConfig(string Path, string App) : MountConfig(Path);

/// <summary>
/// An OWIN app in an assembly of its own, loaded in its own load context; <paramref name="Entry"/> names a
/// public static <c>AppFunc Create(IDictionary&lt;string, object&gt; properties)</c> as <c>Namespace.Type.Method</c>.
/// </summary>
public sealed record AssemblyMountConfig(string Path, string AssemblyPath, string Entry) : MountConfig(Path);

/// <summary>A remote HTTP service, forwarded to with the mount prefix stripped.</summary>
public sealed record ProxyMountConfig(string Path, Uri Destination, TimeSpan Timeout) : MountConfig(Path);

/// <summary>A directory of files served as they are.</summary>
public sealed record StaticMountConfig(string Path, string Directory) : MountConfig(Path);
