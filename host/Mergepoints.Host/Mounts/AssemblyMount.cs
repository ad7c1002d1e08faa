using System.Reflection;
using Mergepoints.Host.Configuration;
using Mergepoints.Owin.Contract;

namespace Mergepoints.Host.Mounts;

/// <summary>
/// Mounts an OWIN app shipped as an assembly. The app references nothing of ours: its entry is a public
/// static <c>Func&lt;IDictionary&lt;string, object&gt;, Task&gt; Create(IDictionary&lt;string, object&gt; properties)</c>.
/// </summary>
public static class AssemblyMount
{
    private const string Signature = "public static Func<IDictionary<string, object>, Task> Method(IDictionary<string, object> properties)";

    /// <summary>Loads the assembly in a context of its own and calls its entry; any problem is a <see cref="ConfigException"/>.</summary>
    public static MountedApp Mount(string source, AssemblyMountConfig mount)
    {
        ConfigException Fail(string problem) => new(source, mount.Path, problem);

        var context = new MountLoadContext(mount.AssemblyPath, $"mount {mount.Path}");
        Assembly assembly;
        try
        {
            assembly = context.LoadFromAssemblyPath(mount.AssemblyPath);
        }
        catch (BadImageFormatException)
        {
            throw Fail($"{mount.AssemblyPath} is not a .NET assembly");
        }
        var dot = mount.Entry.LastIndexOf('.');
        var (typeName, methodName) = (mount.Entry[..dot], mount.Entry[(dot + 1)..]);
        var type = assembly.GetType(typeName) ?? throw Fail($"entry {mount.Entry}: no type {typeName} in {Path.GetFileName(mount.AssemblyPath)}");
        var method = type.GetMethod(methodName, BindingFlags.Public | BindingFlags.Static, [typeof(IDictionary<string, object>)]);
        if (method is null || method.ReturnType != typeof(AppFunc))
        {
            throw Fail($"entry {mount.Entry} must be {Signature.Replace("Method", methodName, StringComparison.Ordinal)}");
        }
        // Cancelled when the host disposes the mount, after its requests have drained (OWIN's host.OnAppDisposing).
        var disposing = new CancellationTokenSource();
        var properties = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [OwinKeys.Version] = "1.0",
            ["host.AppName"] = mount.Entry,
            ["host.OnAppDisposing"] = disposing.Token,
            ["mergepoints.MountPath"] = mount.Path,
        };
        object? app;
        try
        {
            app = method.Invoke(null, [properties]);
        }
        catch (TargetInvocationException e)
        {
            disposing.Dispose();
            throw Fail($"entry {mount.Entry} threw {e.InnerException?.GetType().Name}: {e.InnerException?.Message}");
        }
        if (app is not AppFunc appFunc)
        {
            disposing.Dispose();
            throw Fail($"entry {mount.Entry} returned null instead of an app");
        }
        return new MountedApp(appFunc, $"{mount.Entry} from {mount.AssemblyPath}", async () =>
        {
            await disposing.CancelAsync();
            disposing.Dispose();
        });
    }
}
