using System.Reflection;
using System.Runtime.Loader;

namespace Mergepoints.Host.Mounts;

/// <summary>
/// The load context of one assembly mount: the app's own dependencies come from its folder (so it may use
/// other versions than the host does), while the framework, and with it the OWIN delegate types, is shared.
/// </summary>
internal sealed class MountLoadContext(string assemblyPath, string name) : AssemblyLoadContext(name)
{
    private readonly AssemblyDependencyResolver _resolver = new(assemblyPath);
    private readonly string _directory = Path.GetDirectoryName(assemblyPath)!;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Without a .deps.json the resolver knows nothing; then the app's folder is where its dependencies are.
        var path = _resolver.ResolveAssemblyToPath(assemblyName) ?? Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(path) && !IsFramework(assemblyName) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

    // An app that ships a copy of a framework assembly must still get the host's, or AppFunc would be two types.
    private static readonly HashSet<string> FrameworkAssemblies = LoadFrameworkAssemblyNames();

    private static bool IsFramework(AssemblyName assemblyName) => FrameworkAssemblies.Contains(assemblyName.Name ?? "");

    private static HashSet<string> LoadFrameworkAssemblyNames()
    {
        // .../shared/Microsoft.NETCore.App/10.0.x/System.Private.CoreLib.dll: every shared framework sits under .../shared.
        var shared = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(typeof(object).Assembly.Location)))!;
        var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator);
        return trusted
            .Where(path => path.StartsWith(shared, StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
