using Mergepoints.Host.Configuration;
using Mergepoints.Host.Mounts;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Configuration;

public sealed class SiteConfigLoaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("""{"mounts": [{"path": "/api", "app": "welcome"}, {"path": "/API", "app": "welcome"}]}""", "mount /API: the path is mounted twice (also as /api)")]
    [InlineData("""{"mounts": [{"path": "/x", "app": "nope"}]}""", "mount /x: unknown app \"nope\" (built-in apps: admin, counter, diff, mash, welcome)")]
    [InlineData("""{"mounts": [{"path": "/ext", "assembly": "plugins/Missing.dll", "entry": "A.B.Create"}]}""", "mount /ext: assembly ")]
    [InlineData("""{"mounts": [{"path": "/ext", "assembly": "exists.dll"}]}""", "mount /ext: an assembly mount needs \"entry\"")]
    [InlineData("""{"mounts": [{"path": "/ext", "assembly": "exists.dll", "entry": "Create"}]}""", "mount /ext: an assembly mount needs \"entry\"")]
    [InlineData("""{"mounts": [{"path": "/legacy", "proxy": "ftp://127.0.0.1:9000"}]}""", "mount /legacy: bad proxy URL \"ftp://127.0.0.1:9000\"")]
    [InlineData("""{"mounts": [{"path": "/legacy", "proxy": "not a url"}]}""", "mount /legacy: bad proxy URL")]
    [InlineData("""{"mounts": [{"path": "/legacy", "proxy": "http://127.0.0.1:9000", "timeout": -1}]}""", "mount /legacy: \"timeout\" must be a number of seconds")]
    [InlineData("""{"mounts": [{"path": "/x", "app": "welcome", "timeout": 5}]}""", "mount /x: \"timeout\" belongs to proxy mounts only")]
    [InlineData("""{"mounts": [{"path": "/x", "app": "welcome", "proxy": "http://127.0.0.1:1"}]}""", "mount /x: a mount needs exactly one of")]
    [InlineData("""{"mounts": [{"path": "/x"}]}""", "mount /x: a mount needs exactly one of")]
    [InlineData("""{"mounts": [{"path": "/x", "app": "welcome", "colour": "red"}]}""", "mount /x: unknown key \"colour\"")]
    [InlineData("""{"mounts": [{"path": "/api/", "app": "welcome"}]}""", "mount /api/: a mount path must not end with '/'")]
    [InlineData("""{"mounts": [{"path": "/a/../b", "app": "welcome"}]}""", "mount /a/../b: a mount path must not contain '.' or '..' segments")]
    [InlineData("""{"mounts": [{"path": "/a//b", "app": "welcome"}]}""", "mount /a//b: a mount path must not contain '//'")]
    [InlineData("""{"mounts": [{"path": "api", "app": "welcome"}]}""", "mount api: a mount path must start with '/'")]
    [InlineData("""{"mounts": [{"app": "welcome"}]}""", "mount #1 has no \"path\"")]
    [InlineData("""{"mounts": [{"path": "/files", "static": "no-such-dir"}]}""", "mount /files: static directory ")]
    [InlineData("""{"urls": "localhost:5000", "mounts": []}""", "bad URL in \"urls\"")]
    [InlineData("""{"mount": []}""", "unknown key \"mount\" (expected urls, slots, logs, data, accounts, mounts)")]
    [InlineData("""{"slots": [], "mounts": []}""", "\"slots\" must list at least one slot")]
    [InlineData("""{"slots": "127.0.0.1:5001", "mounts": []}""", "\"slots\" must list at least one slot")]
    [InlineData("""{"slots": ["127.0.0.1"], "mounts": []}""", "bad slot \"127.0.0.1\" in \"slots\" (expected a list of \"address:port\"")]
    [InlineData("""{"slots": ["127.0.0.1:0"], "mounts": []}""", "bad slot \"127.0.0.1:0\" in \"slots\"")]
    [InlineData("""{"slots": ["127.0.0.1:65536"], "mounts": []}""", "bad slot \"127.0.0.1:65536\" in \"slots\"")]
    [InlineData("""{"slots": ["127.0.0.1:-5"], "mounts": []}""", "bad slot \"127.0.0.1:-5\" in \"slots\"")]
    [InlineData("""{"slots": ["http://127.0.0.1:5001"], "mounts": []}""", "bad slot \"http://127.0.0.1:5001\" in \"slots\"")]
    [InlineData("""{"slots": ["::1:5001"], "mounts": []}""", "bad slot \"::1:5001\" in \"slots\"")]
    [InlineData("""{"slots": ["[127.0.0.1]:5001"], "mounts": []}""", "bad slot \"[127.0.0.1]:5001\" in \"slots\"")]
    [InlineData("""{"slots": ["300.1.1.1:5001"], "mounts": []}""", "bad slot \"300.1.1.1:5001\" in \"slots\"")]
    [InlineData("""{"slots": ["my host:5001"], "mounts": []}""", "bad slot \"my host:5001\" in \"slots\"")]
    [InlineData("""{"slots": [5001], "mounts": []}""", "bad slot 5001 in \"slots\"")]
    [InlineData("""{"slots": ["127.0.0.1:5001", "localhost:5001"], "mounts": []}""", "slot \"localhost:5001\" in \"slots\" repeats port 5001 of \"127.0.0.1:5001\"")]
    [InlineData("""{"logs": "", "mounts": []}""", "\"logs\" must be a non-empty string")]
    [InlineData("""{"urls": "https://127.0.0.1:5001", "mounts": []}""", "TLS belongs to nginx in front")]
    [InlineData("""{"accounts": "/_mergepoints", "mounts": []}""", "\"accounts\": the account pages cannot take")]
    [InlineData("""{"mounts": [{"path": "/healthz", "app": "welcome"}]}""", "mount /healthz: the host mounts its own pages there")]
    [InlineData("""{"mounts": [{"path": "/caf\u00e9", "app": "welcome"}]}""", "a mount path must be a plain ASCII path")]
    [InlineData("""{"mounts": [{"path": "/legacy", "proxy": "http://user:pw@127.0.0.1:9000"}]}""", "mount /legacy: bad proxy URL")]
    [InlineData("""{"mounts": [{"path": "/legacy", "proxy": "http://127.0.0.1:9000", "timeout": 1e-8}]}""", "mount /legacy: \"timeout\" must be")]
    [InlineData("""{"urls": "http://127.0.0.1:5000"}""", "\"mounts\" must be a list")]
    [InlineData("""{"mounts": [{"path": "/", "app": "welcome"},""", "not valid JSON at line 1")]
    [InlineData("""[]""", "the config must be a JSON object")]
    public void A_bad_config_is_one_line_naming_the_file_and_what_is_wrong(string json, string expected)
    {
        _directory.Write("exists.dll", "not really an assembly, but it exists");
        var file = _directory.Write("site.json", json);

        var error = Assert.Throws<ConfigException>(() => SiteConfigLoader.Load(file, BuiltInApps.Names));

        Assert.StartsWith(file + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_missing_config_file_names_the_file()
    {
        var file = Path.Combine(_directory.Path, "absent.json");

        var error = Assert.Throws<ConfigException>(() => SiteConfigLoader.Load(file, BuiltInApps.Names));

        Assert.StartsWith(file + ": cannot read the config", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_paths_are_relative_to_the_config_file_not_the_current_directory()
    {
        _directory.Write("plugins/Hello.dll", "stand-in");
        Directory.CreateDirectory(Path.Combine(_directory.Path, "public"));
        var file = _directory.Write("site.json", """
            {
              // comments and trailing commas are allowed, as in appsettings.json
              "urls": "http://127.0.0.1:5001; http://[::1]:5001",
              "data": "state",
              "mounts": [
                {"path": "/", "app": "welcome"},
                {"path": "/ext", "assembly": "plugins/Hello.dll", "entry": "Hello.App.Create"},
                {"path": "/legacy", "proxy": "http://127.0.0.1:9000/app", "timeout": 2.5},
                {"path": "/files", "static": "./public"},
              ]
            }
            """);

        var config = SiteConfigLoader.Load(file, BuiltInApps.Names);

        Assert.Equal(["http://127.0.0.1:5001", "http://[::1]:5001"], config.Urls);
        Assert.Equal(Path.Combine(_directory.Path, "state"), config.DataDirectory);
        Assert.Collection(
            config.Mounts,
            mount => Assert.Equal(new AppMountConfig("/", "welcome"), mount),
            mount => Assert.Equal(new AssemblyMountConfig("/ext", Path.Combine(_directory.Path, "plugins", "Hello.dll"), "Hello.App.Create"), mount),
            mount => Assert.Equal(new ProxyMountConfig("/legacy", new Uri("http://127.0.0.1:9000/app"), TimeSpan.FromSeconds(2.5)), mount),
            mount => Assert.Equal(new StaticMountConfig("/files", Path.Combine(_directory.Path, "public")), mount));
    }

    [Fact]
    public void Slots_are_read_in_order_as_nginx_writes_them_and_logs_is_relative_to_the_config_file()
    {
        var file = _directory.Write("site.json", """
            {"slots": ["127.0.0.1:5001", "[::1]:5002", "localhost:5003"], "logs": "../var/logs", "mounts": []}
            """);

        var config = SiteConfigLoader.Load(file, BuiltInApps.Names);

        Assert.Equal([new ListenSlot("127.0.0.1", 5001), new ListenSlot("[::1]", 5002), new ListenSlot("localhost", 5003)], config.Slots);
        Assert.Equal(["127.0.0.1:5001", "[::1]:5002", "localhost:5003"], config.Slots.Select(s => s.ToString()));
        Assert.Equal(["http://127.0.0.1:5001", "http://[::1]:5002", "http://localhost:5003"], config.Slots.Select(s => s.Url));
        Assert.Equal(Path.GetFullPath(Path.Combine(_directory.Path, "..", "var", "logs")), config.LogsDirectory);
    }

    [Fact]
    public void Without_slots_and_logs_the_config_has_none_and_serve_uses_urls()
    {
        var file = _directory.Write("site.json", """{"urls": "http://127.0.0.1:5009", "mounts": []}""");

        var config = SiteConfigLoader.Load(file, BuiltInApps.Names);

        Assert.Empty(config.Slots);
        Assert.Null(config.LogsDirectory);
        Assert.Equal(["http://127.0.0.1:5009"], config.Urls);
    }

    [Fact]
    public void A_proxy_without_a_timeout_gets_the_default()
    {
        var file = _directory.Write("site.json", """{"mounts": [{"path": "/legacy", "proxy": "http://127.0.0.1:9000"}]}""");

        var mount = Assert.IsType<ProxyMountConfig>(Assert.Single(SiteConfigLoader.Load(file, BuiltInApps.Names).Mounts));

        Assert.Equal(SiteConfig.DefaultProxyTimeout, mount.Timeout);
    }

    public void Dispose() => _directory.Dispose();
}
