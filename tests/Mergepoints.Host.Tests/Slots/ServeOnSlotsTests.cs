using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Slots;

public sealed class ServeOnSlotsTests(ThreeInstances three) : IClassFixture<ThreeInstances>
{
    [Fact]
    public async Task The_same_command_three_times_gives_three_instances_on_the_three_slots_in_order()
    {
        Assert.Equal([1, 2, 3], three.Instances.Select(instance => instance.Slot));
        Assert.Equal(three.Site.Ports, three.Instances.Select(instance => instance.Url.Port));
        foreach (var instance in three.Instances)
        {
            using var client = new HttpClient { BaseAddress = instance.Url };
            Assert.Equal("Healthy", await client.GetStringAsync("/healthz", TestContext.Current.CancellationToken));
            Assert.Contains($"(slot {instance.Slot} of 3, log ", instance.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Each_instance_logs_its_own_requests_to_its_slots_file()
    {
        // Instance n answers n requests, each for a path naming its port: each file must hold exactly its own.
        for (var n = 1; n <= 3; n++)
        {
            var instance = three.Instances[n - 1];
            using var client = new HttpClient { BaseAddress = instance.Url };
            for (var i = 0; i < n; i++)
            {
                using var _ = await client.GetAsync($"/which/{instance.Url.Port}/{Guid.NewGuid():N}", TestContext.Current.CancellationToken);
            }
        }

        for (var n = 1; n <= 3; n++)
        {
            var port = three.Instances[n - 1].Url.Port;
            var expected = n;
            var lines = await Eventually.ReadAsync(() => Task.FromResult(RequestLines(three.Site.LogFile(port))), l => l.Length >= expected, $"{expected} request lines in {port}.log");
            Assert.Equal(n, lines.Length);
            Assert.All(lines, line => Assert.Matches($@"^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z info Mergepoints\.Requests: GET /which/{port}/[0-9a-f]{{32}} \d{{3}} ", line));
        }
    }

    [Fact]
    public async Task A_fourth_run_says_which_slots_are_taken_and_exits_2()
    {
        var (exitCode, output, error) = await three.Site.RunAsync();

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"mergepoints: every slot is taken ({string.Join(", ", three.Site.Slots)}); stop an instance or add a slot to the config", line);
        Assert.DoesNotContain("listening", output, StringComparison.Ordinal);
    }

    private static string[] RequestLines(string file)
    {
        if (!File.Exists(file))
        {
            return [];
        }
        using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return [.. reader.ReadToEnd().Split('\n').Where(line => line.Contains(" Mergepoints.Requests: GET /which/", StringComparison.Ordinal))];
    }
}
