using Mergepoints.Host.Configuration;
using Mergepoints.Host.Mounts;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Mounts;

public sealed class AssemblyMountTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("Hello.Missing.Create", "entry Hello.Missing.Create: no type Hello.Missing in Hello.dll")]
    [InlineData("Hello.App.Missing", "entry Hello.App.Missing must be public static Func<IDictionary<string, object>, Task> Missing(IDictionary<string, object> properties)")]
    [InlineData("Hello.Wrong.Create", "entry Hello.Wrong.Create must be public static Func<IDictionary<string, object>, Task> Create(")]
    [InlineData("Hello.Wrong.Throws", "entry Hello.Wrong.Throws threw InvalidOperationException: no app today")]
    [InlineData("Hello.Wrong.Nothing", "entry Hello.Wrong.Nothing returned null instead of an app")]
    public void An_entry_that_cannot_make_an_app_is_a_config_error_naming_the_mount(string entry, string expected)
    {
        // The plugin's namespace is file-scoped, so these land in Hello too.
        var assembly = PluginCompiler.Compile(_directory.Path, "Hello", HelloPlugin.Source + """

            public static class Wrong
            {
                public static string Create(IDictionary<string, object> properties) => "not an app";
                public static Func<IDictionary<string, object>, Task> Throws(IDictionary<string, object> properties) => throw new InvalidOperationException("no app today");
                public static Func<IDictionary<string, object>, Task>? Nothing(IDictionary<string, object> properties) => null;
            }
            """);

        var error = Assert.Throws<ConfigException>(() => AssemblyMount.Mount("site.json", new AssemblyMountConfig("/ext", assembly, entry)));

        Assert.StartsWith("site.json: mount /ext: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_a_config_error()
    {
        var file = _directory.Write("Bad.dll", "MZ but not really");

        var error = Assert.Throws<ConfigException>(() => AssemblyMount.Mount("site.json", new AssemblyMountConfig("/ext", file, "A.B.Create")));

        Assert.Contains("is not a .NET assembly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_app_runs_in_a_load_context_of_its_own_and_finds_its_dependencies_beside_it()
    {
        var dependency = PluginCompiler.Compile(_directory.Path, "Greeting", "namespace Greeting; public static class Words { public static string Hello => \"hello from a dependency\"; }");
        var assembly = PluginCompiler.Compile(_directory.Path, "Uses", """
            using System; using System.Collections.Generic; using System.IO; using System.Runtime.Loader; using System.Text; using System.Threading.Tasks;
            namespace Uses;
            public static class App
            {
                public static Func<IDictionary<string, object>, Task> Create(IDictionary<string, object> properties) => env =>
                {
                    var text = Greeting.Words.Hello + " in " + AssemblyLoadContext.GetLoadContext(typeof(Greeting.Words).Assembly)!.Name;
                    return ((Stream)env["owin.ResponseBody"]).WriteAsync(Encoding.UTF8.GetBytes(text), 0, Encoding.UTF8.GetByteCount(text));
                };
            }
            """, dependency);
        var mounted = AssemblyMount.Mount("site.json", new AssemblyMountConfig("/uses", assembly, "Uses.App.Create"));
        var body = new MemoryStream();

        await mounted.App(new Dictionary<string, object> { ["owin.ResponseBody"] = body });

        Assert.Equal("hello from a dependency in mount /uses", System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task Host_OnAppDisposing_fires_when_the_host_disposes_the_mount_and_not_before()
    {
        var assembly = PluginCompiler.Compile(_directory.Path, "Waits", """
            using System; using System.Collections.Generic; using System.IO; using System.Text; using System.Threading; using System.Threading.Tasks;
            namespace Waits;
            public static class App
            {
                public static Func<IDictionary<string, object>, Task> Create(IDictionary<string, object> properties) => env =>
                {
                    var text = ((CancellationToken)properties["host.OnAppDisposing"]).IsCancellationRequested ? "disposing" : "running";
                    return ((Stream)env["owin.ResponseBody"]).WriteAsync(Encoding.UTF8.GetBytes(text), 0, text.Length);
                };
            }
            """);
        var mounted = AssemblyMount.Mount("site.json", new AssemblyMountConfig("/waits", assembly, "Waits.App.Create"));
        var before = new MemoryStream();
        var after = new MemoryStream();

        await mounted.App(new Dictionary<string, object> { ["owin.ResponseBody"] = before });
        await mounted.DisposeAsync();
        await mounted.App(new Dictionary<string, object> { ["owin.ResponseBody"] = after });

        Assert.Equal("running", System.Text.Encoding.UTF8.GetString(before.ToArray()));
        Assert.Equal("disposing", System.Text.Encoding.UTF8.GetString(after.ToArray()));
    }

    public void Dispose() => _directory.Dispose();
}
