using Mergepoints.Host.Configuration;
using Mergepoints.Host.BuiltIn;

namespace Mergepoints.Host.Mounts;

/// <summary>
/// The apps a config can mount by name. Each app registers one line here as it lands; the names are what
/// <c>{"app": "..."}</c> accepts and what the error for an unknown app lists.
/// </summary>
public static class BuiltInApps
{
    /// <summary>Starts one built-in app for one mount.</summary>
    public delegate Task<MountedApp> Factory(BuiltInAppContext context, CancellationToken cancellationToken);

    private static readonly Dictionary<string, Factory> Factories = new(StringComparer.Ordinal)
    {
        ["welcome"] = WelcomeApp.MountAsync,
        ["counter"] = CounterMount.MountAsync,
        ["diff"] = DiffMount.MountAsync,
        ["mash"] = MashMount.MountAsync,
        ["admin"] = AdminMount.MountAsync,
    };

    /// <summary>The names a mount may use.</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Whether <paramref name="mount"/> is MonsterMash, the app whose jobs a process can run only with its songs at hand.</summary>
    public static bool IsMash(MountConfig mount) => mount is AppMountConfig { App: "mash" };

    /// <summary>Starts the app called <paramref name="name"/>.</summary>
    public static Task<MountedApp> MountAsync(string name, BuiltInAppContext context, CancellationToken cancellationToken) =>
        Factories[name](context, cancellationToken);
}
