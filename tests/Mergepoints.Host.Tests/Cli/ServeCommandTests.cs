using System.Net;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Cli;

public sealed class ServeCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public static TheoryData<string, string> BadConfigs => new()
    {
        { """{"mounts": [{"path": "/api", "app": "welcome"}, {"path": "/api", "app": "welcome"}]}""", "mount /api: the path is mounted twice" },
        { """{"mounts": [{"path": "/x", "app": "nope"}]}""", "mount /x: unknown app \"nope\"" },
        { """{"mounts": [{"path": "/ext", "assembly": "missing/Hello.dll", "entry": "Hello.App.Create"}]}""", "mount /ext: assembly " },
        { """{"mounts": [{"path": "/ext", "assembly": "plugins/Hello.dll", "entry": "Hello.Nope.Create"}]}""", "mount /ext: entry Hello.Nope.Create: no type Hello.Nope in Hello.dll" },
        { """{"mounts": [{"path": "/ext", "assembly": "plugins/Hello.dll", "entry": "Hello.App.Nope"}]}""", "mount /ext: entry Hello.App.Nope must be public static Func<IDictionary<string, object>, Task> Nope(IDictionary<string, object> properties)" },
        { """{"mounts": [{"path": "/legacy", "proxy": "http//127.0.0.1:9000"}]}""", "mount /legacy: bad proxy URL" },
        { """{"mounts": [ {"path": "/", "app": "welcome"} """, "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public async Task A_bad_config_is_one_line_on_stderr_exit_code_2_and_nothing_listening(string json, string expected)
    {
        HelloPlugin.Build(Path.Combine(_directory.Path, "plugins"));
        var config = _directory.Write("site.json", json);

        var (exitCode, output, error) = await HostProcess.RunAsync("serve", "--config", config, "--urls", "http://127.0.0.1:0", "--data", Path.Combine(_directory.Path, "data"));

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"mergepoints: {config}: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve", "--no-such-option")]
    [InlineData("serve", "--urls", "localhost:5000")]
    [InlineData("no-such-command")]
    public async Task A_bad_command_line_is_one_line_and_exit_code_2(params string[] args)
    {
        var (exitCode, _, error) = await HostProcess.RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("mergepoints: ", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_says_what_serve_does_and_what_its_options_are()
    {
        var (exitCode, output, _) = await HostProcess.RunAsync("serve", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("Serve the site", output, StringComparison.Ordinal);
        Assert.Contains("--config", output, StringComparison.Ordinal);
        Assert.Contains("--urls", output, StringComparison.Ordinal);
        Assert.Contains("--data", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_start_it_prints_where_it_listens_and_one_line_per_mount()
    {
        HelloPlugin.Build(Path.Combine(_directory.Path, "plugins"));
        var config = _directory.Write("site.json", """
            {"mounts": [{"path": "/", "app": "welcome"}, {"path": "/ext", "assembly": "plugins/Hello.dll", "entry": "Hello.App.Create"}]}
            """);
        await using var host = await HostProcess.StartAsync(config, Path.Combine(_directory.Path, "data"));

        Assert.Matches(@"(?m)^  / +-> welcome \(built-in page listing the mounts\)$", host.Output);
        Assert.Matches(@"(?m)^  /ext +-> Hello\.App\.Create from .*Hello\.dll$", host.Output);
        using var client = new HttpClient { BaseAddress = host.Url };
        Assert.Contains("<a href=\"/ext\">/ext</a>", await client.GetStringAsync("/", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_lets_the_request_in_flight_finish_then_exits_0()
    {
        await using var backend = await Backend.StartAsync();
        var config = _directory.Write("site.json", $$"""{"mounts": [{"path": "/slow", "proxy": "{{backend.Url}}"}]}""");
        await using var host = await HostProcess.StartAsync(config, Path.Combine(_directory.Path, "data"));
        using var client = new HttpClient { BaseAddress = host.Url };

        var inFlight = client.GetAsync("/slow/wait", TestContext.Current.CancellationToken);
        await backend.WaitReceived.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        host.Terminate();
        using var response = await inFlight;
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("finished after the wait", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, exitCode);
    }

    public void Dispose() => _directory.Dispose();
}
