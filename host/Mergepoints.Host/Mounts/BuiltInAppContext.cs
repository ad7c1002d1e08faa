using Mergepoints.Host.Configuration;

namespace Mergepoints.Host.Mounts;

/// <summary>What a built-in app is told when it is mounted.</summary>
/// <param name="MountPath">The prefix it is mounted at.</param>
/// <param name="Site">The whole site config, for apps that show or link to other mounts.</param>
/// <param name="DataDirectory">Where the host keeps its data (the SQLite file, blobs).</param>
/// <param name="HostServices">The host's services: logging, configuration, the environment.</param>
public sealed record BuiltInAppContext(string MountPath, SiteConfig Site, string DataDirectory, IServiceProvider HostServices);
