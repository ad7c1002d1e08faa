using System.Net;
using System.Net.Sockets;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Slots;

public sealed class SlotTakingTests
{
    [Fact]
    public async Task After_kill_9_of_one_instance_the_next_one_started_takes_exactly_its_slot()
    {
        await using var site = new SlotSite(3);
        await site.StartAsync();
        var second = await site.StartAsync();
        await site.StartAsync();

        await second.KillAsync();
        var next = await site.StartAsync();

        Assert.Equal(2, next.Slot);
        Assert.Equal(site.Ports[1], next.Url.Port);
        using var client = new HttpClient { BaseAddress = next.Url };
        Assert.Equal("Healthy", await client.GetStringAsync("/healthz", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_slot_whose_port_another_program_holds_is_skipped_and_left_free()
    {
        await using var site = new SlotSite(2);
        using var foreign = new TcpListener(IPAddress.Loopback, site.Ports[0]);
        foreign.Start();

        var instance = await site.StartAsync();

        Assert.Equal(2, instance.Slot);
        Assert.Contains($"mergepoints: slot {site.Slots.First()} skipped: its port is in use by another program", instance.Output, StringComparison.Ordinal);
        // The skipped slot's lock was given back; the taken one's is held.
        using (new FileStream(site.LockFile(site.Ports[0]), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
        }
        Assert.Throws<IOException>(() => new FileStream(site.LockFile(site.Ports[1]), FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose());
    }

    [Fact]
    public async Task With_every_slot_held_nothing_starts_not_even_the_migration()
    {
        await using var site = new SlotSite(2);
        Directory.CreateDirectory(site.LogsDirectory);
        var held = site.Ports.Select(port => new FileStream(site.LockFile(port), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)).ToList();
        try
        {
            var (exitCode, _, error) = await site.RunAsync();

            Assert.Equal(2, exitCode);
            Assert.Contains("every slot is taken", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
            Assert.False(Directory.Exists(site.DataDirectory), "the data directory was made, so the host started");
        }
        finally
        {
            held.ForEach(file => file.Dispose());
        }
    }

    [Fact]
    public async Task A_slot_whose_lock_is_held_is_skipped_naming_the_file_with_the_holders_pid()
    {
        await using var site = new SlotSite(2);
        Directory.CreateDirectory(site.LogsDirectory);
        using (new FileStream(site.LockFile(site.Ports[0]), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var instance = await site.StartAsync();

            Assert.Equal(2, instance.Slot);
            Assert.Contains($"mergepoints: slot {site.Slots.First()} skipped: held by another instance (its pid is in {site.LockFile(site.Ports[0])})", instance.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_lock_file_that_cannot_be_opened_is_a_cannot_start_error_naming_it_not_a_taken_slot()
    {
        await using var site = new SlotSite(2);
        Directory.CreateDirectory(site.LogsDirectory);
        // A symlink to itself: opening it fails with ELOOP, as a read-only disk fails with EROFS; neither is a lock.
        var lockFile = site.LockFile(site.Ports[0]);
        File.CreateSymbolicLink(lockFile, lockFile);

        var (exitCode, _, error) = await site.RunAsync();

        Assert.Equal(1, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"mergepoints: cannot start: the slot lock {lockFile} cannot be opened: ", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(site.DataDirectory), "the data directory was made, so the host started");
    }

    [Fact]
    public async Task Urls_on_the_command_line_win_over_the_slots_and_take_none()
    {
        await using var site = new SlotSite(1);
        await using var instance = await HostProcess.StartAsync(site.ConfigFile, site.DataDirectory, new Dictionary<string, string> { ["Jobs__InProcess"] = "false" });

        Assert.NotEqual(site.Ports[0], instance.Url.Port);
        Assert.DoesNotContain("(slot", instance.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(site.LockFile(site.Ports[0])));
    }

    [Theory]
    [InlineData("\"127.0.0.1:70000\"", "bad slot \"127.0.0.1:70000\" in \"slots\"")]
    [InlineData("\"127.0.0.1:5001\", \"[::1]:5001\"", "slot \"[::1]:5001\" in \"slots\" repeats port 5001")]
    public async Task A_bad_slot_is_one_line_naming_it_and_exit_code_2(string slots, string expected)
    {
        using var directory = new TempDirectory();
        var config = directory.Write("site.json", $$"""{"slots": [{{slots}}], "mounts": [{"path": "/", "app": "welcome"}]}""");

        var (exitCode, _, error) = await HostProcess.RunAsync("serve", "--config", config, "--data", Path.Combine(directory.Path, "data"), "--logs", Path.Combine(directory.Path, "logs"));

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"mergepoints: {config}: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory.Path, "logs")));
    }
}
